"""`make audit`: Lighthouse on the served site, with Debian's Chromium; prints the scores.

Serves the site as `make run` does (gunicorn, DEBUG off, SQLite in var/), runs Lighthouse
(installed from the npm registry into var/audit/) on every public page (core/pages.py) and a
decision-helper answer, and prints the four category scores of each.
Not part of `make test`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from serving import free_port, start_site

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project: core/pages.py names the pages
from core.pages import ANSWERED_PAGES, PUBLIC_PAGES  # noqa: E402

AUDIT_DIR = ROOT / "var" / "audit"
PAGES = {**PUBLIC_PAGES, "choose-answer": ANSWERED_PAGES["choose-answer"]}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CHROMIUM = "/usr/bin/chromium"


def install_lighthouse() -> Path:
    binary = AUDIT_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        AUDIT_DIR.mkdir(parents=True, exist_ok=True)
        print("Installing Lighthouse from the npm registry into var/audit/ …", flush=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(AUDIT_DIR),
             "lighthouse@12"],
            check=True,
        )  # fmt: skip
    return binary


def audit(lighthouse: Path, url: str, workdir: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; Lighthouse sometimes fails to record a trace (NO_NAVSTART) on a
    busy machine, so a failed run is tried again, up to `attempts` times."""
    report = workdir / "report.json"
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "TMPDIR": str(workdir)}
    for attempt in range(1, attempts + 1):
        result = subprocess.run(
            [str(lighthouse), url, "--output=json", f"--output-path={report}", "--quiet",
             f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode == 0:
            return json.loads(report.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt}): {result.stderr.strip()[-300:]}")
    sys.exit(f"Lighthouse failed {attempts} times on {url}.")


def main() -> int:
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    if not shutil.which("npm"):
        sys.exit("npm not found: Lighthouse is installed with npm.")
    lighthouse = install_lighthouse()
    port = free_port()
    server = start_site(port)
    rows, worst = [], 100
    try:
        for name, path in PAGES.items():
            with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
                result = audit(lighthouse, f"http://127.0.0.1:{port}{path}", Path(tmp))
            scores = [round(result["categories"][c]["score"] * 100) for c in CATEGORIES]
            worst = min(worst, *scores)
            weighted = {
                ref["id"]
                for category in CATEGORIES
                for ref in result["categories"][category]["auditRefs"]
                if ref["weight"] > 0
            }
            failing = [
                audit_id
                for audit_id in weighted
                if (result["audits"][audit_id].get("score") is not None)
                and result["audits"][audit_id]["score"] < 1
            ]
            rows.append((name, path, scores, failing))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"\n{'page':<14} " + " ".join(f"{c:>14}" for c in CATEGORIES) + "  path")
    for name, path, scores, _ in rows:
        print(f"{name:<14} " + " ".join(f"{s:>14}" for s in scores) + f"  {path}")
    for name, _, _, failing in rows:
        if failing:
            print(f"{name}: scored audits below full marks: {', '.join(sorted(failing))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
