"""Times the Markdown renderer on the worst shapes that pass its limits (core/markdown.py).

Not part of `make test` (a benchmark, not a test): `.venv/bin/python scripts/markdown_limits.py`.
Each shape is repeated up to MAX_LENGTH characters; prints milliseconds per render.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from core.markdown import MAX_LENGTH, MAX_NESTING, _render, markdown_problem  # noqa: E402

SHAPES = [
    "\n\n<a",
    "$\n\n\\<a ",
    "* \t\t",
    "1. ",
    "# a\n",
    "|a|b|\n|-|-|\n",
    "[a](x) ",
    "<div>x</div>\n",
    "- a\n  - b\n    - c\n",
    "> " * MAX_NESTING + "a\n\n",
    "[" * MAX_NESTING + "a" + "]" * MAX_NESTING,
    "*" * MAX_NESTING + "a" + "*" * MAX_NESTING + " ",
]

for shape in SHAPES:
    text = (shape * (MAX_LENGTH // len(shape) + 1))[:MAX_LENGTH]
    if markdown_problem(text):
        sys.exit(f"{shape!r} no longer passes the limits: {markdown_problem(text)}")
    start = time.perf_counter()
    _render(text)
    print(f"{(time.perf_counter() - start) * 1000:8.1f} ms  {shape!r}")
