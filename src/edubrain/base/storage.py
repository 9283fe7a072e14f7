"""A storage that resolves ``STORAGES[alias]`` on every call, so a model's FileField follows the configured
storage (and a test's override of it) instead of the instance built when the models loaded."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible


@deconstructible
class NamedStorage(Storage):
    """Delegates every operation to ``storages[alias]`` (disk, object storage … as configured)."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    @property
    def backend(self) -> Storage:
        return storages[self.alias]

    def open(self, name: str, mode: str = "rb") -> Any:
        return self.backend.open(name, mode)

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        return self.backend.save(name, content, max_length=max_length)

    def generate_filename(self, filename: str) -> str:
        return self.backend.generate_filename(filename)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.backend.get_available_name(name, max_length=max_length)

    def delete(self, name: str) -> None:
        self.backend.delete(name)

    def exists(self, name: str) -> bool:
        return self.backend.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.backend.listdir(path)

    def size(self, name: str) -> int:
        return self.backend.size(name)

    def url(self, name: str | None) -> str:
        return self.backend.url(name)

    def path(self, name: str) -> str:
        return self.backend.path(name)

    def get_modified_time(self, name: str) -> Any:
        return self.backend.get_modified_time(name)
