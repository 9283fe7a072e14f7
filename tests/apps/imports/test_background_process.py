"""The real background path: `run_in_background` starts a detached `edubrain import-job` process that the
request does not wait for; the batch reaches its final state with progress 100 in another process's view.

It needs a database that two processes share, so it runs the product's own commands on a temporary SQLite
file (the test database is private to this process and its transaction)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubrain.settings")
import django; django.setup()
from edubrain.accounts.models import User
from edubrain.imports import services
from edubrain.imports.datasets import DATASETS

admin = User.objects.get(username="admin")
path = os.path.join(os.environ["EDUBRAIN_VAR"], "students.xlsx")
with open(path, "wb") as out:
    out.write(DATASETS["students"].export(admin, "xlsx"))
states = []
batch = services.create_batch(admin, "students", path, "students.xlsx")
for action, kw in (("preview", {}), ("commit", {"only_valid": True})):
    services.run_in_background(batch, action, **kw)
    for _ in range(120):
        batch.refresh_from_db()
        states.append(batch.status)
        if not batch.is_running:
            break
        time.sleep(0.5)
    if batch.status == "failed":
        break
print(json.dumps({"states": states, "status": batch.status, "progress": batch.progress,
                  "unchanged": batch.unchanged, "new": batch.new, "message": batch.message}))
"""


def test_background_job_runs_in_its_own_process(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bg.sqlite3'}",
        "EDUBRAIN_VAR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    edubrain = [sys.executable, "-m", "edubrain.cli"]
    run = {"env": env, "check": True, "capture_output": True, "text": True, "timeout": 300}
    subprocess.run([*edubrain, "migrate", "-v0"], **run)
    subprocess.run([*edubrain, "demo", "--scale", "0.02", "--seed", "5"], **run)
    result = json.loads(subprocess.run([sys.executable, "-c", SCRIPT], **run).stdout.strip().splitlines()[-1])
    assert result["status"] == "committed", result
    assert result["states"][0] == "previewing"  # queued: the caller did not wait for the work
    assert result["progress"] == 100
    assert result["new"] == 0 and result["unchanged"] > 100  # the export re-imports unchanged
    assert Path(tmp_path / "students.xlsx").stat().st_size > 0
