"""Background work: ``spawn("import-job", "12", "commit")`` starts ``python -m edubrain.cli import-job 12
commit`` as its own detached process (it outlives the request that asked for it), with this process's
settings module. The job records its own progress in the database for the page polling it."""

from __future__ import annotations

import os
import subprocess
import sys


def spawn(*command: str) -> None:
    """Start an ``edubrain`` command in a new session, detached from this process; OSError if it cannot."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "edubrain.settings"),
    }
    subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "edubrain.cli", *command],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
