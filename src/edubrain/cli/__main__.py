"""``python -m edubrain.cli``: the same as the ``edubrain`` command."""

from edubrain.cli import main

main()
