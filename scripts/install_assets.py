#!/usr/bin/env python3
"""Install the front-end assets (no CDN): npm packages → src/edubrain/static/vendor/.

Usage: ``.venv/bin/python scripts/install_assets.py [--force]``

Idempotent: runs ``npm ci`` (or ``npm install`` without a lock file) only when node_modules is missing a
package or holds a version other than the lock file's, and copies a file only when its content changed.
Exits with a clear message when npm is not installed.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "edubrain" / "static" / "vendor"

# npm package → (file inside the package, name under static/vendor/)
ASSETS: dict[str, tuple[str, str]] = {
    "htmx.org": ("dist/htmx.min.js", "htmx.min.js"),
    "echarts": ("dist/echarts.min.js", "echarts.min.js"),
}


def fail(message: str) -> None:
    print(f"install_assets: {message}", file=sys.stderr)
    sys.exit(1)


def locked_versions() -> dict[str, str]:
    lock = ROOT / "package-lock.json"
    if not lock.exists():
        return {}
    packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    return {name: packages.get(f"node_modules/{name}", {}).get("version", "") for name in ASSETS}


def installed_version(name: str) -> str | None:
    manifest = NODE_MODULES / name / "package.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def npm_needed() -> bool:
    locked = locked_versions()
    for name, (source, _) in ASSETS.items():
        if not (NODE_MODULES / name / source).exists():
            return True
        if locked.get(name) and installed_version(name) != locked[name]:
            return True
    return False


def run_npm() -> None:
    npm = shutil.which("npm")
    if npm is None:
        fail("找不到 npm。请先安装 Node.js 和 npm（Debian/Ubuntu: apt-get install -y nodejs npm），"
             "再重新运行本脚本。")
    command = ["ci"] if (ROOT / "package-lock.json").exists() else ["install"]
    print(f"install_assets: npm {' '.join(command)} …")
    result = subprocess.run([npm, *command, "--no-audit", "--no-fund"], cwd=ROOT)
    if result.returncode != 0:
        fail(f"npm {command[0]} 失败（退出码 {result.returncode}）；请检查网络或 npm 镜像设置。")


def copy_assets() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    changed = 0
    for name, (source, target) in ASSETS.items():
        src = NODE_MODULES / name / source
        if not src.exists():
            fail(f"{src} 不存在：npm 包 {name} 未正确安装。")
        dst = VENDOR / target
        if dst.exists() and filecmp.cmp(src, dst, shallow=False):
            continue
        shutil.copyfile(src, dst)
        changed += 1
        print(f"install_assets: {name} {installed_version(name)} → {dst.relative_to(ROOT)}")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Copy front-end assets from npm into static/vendor.")
    parser.add_argument("--force", action="store_true", help="run npm even if node_modules looks up to date")
    args = parser.parse_args(argv)
    if args.force or npm_needed():
        run_npm()
    changed = copy_assets()
    if not changed:
        print("install_assets: static/vendor is up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
