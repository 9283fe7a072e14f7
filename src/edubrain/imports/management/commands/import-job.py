"""``edubrain import-job``: the same command as import_job (the hyphenated name the services start)."""

from edubrain.imports.management.commands.import_job import Command

__all__ = ["Command"]
