"""Run an ``edubrain`` command in a subprocess the way a headmaster's laptop would — no Django settings, an
unusable database — and fail if Django was imported (the standards commands must work on a file alone)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = (
    "import sys; from edubrain.cli import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n"
    "    assert 'django' not in sys.modules, 'Django was loaded'\n    raise\n"
)


def run_without_django(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "EDUBRAIN_VAR")}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # unusable: the command must not connect
    return subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
