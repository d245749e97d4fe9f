"""The decision helper's answer for every kind of project, from the fixtures as they stand:
each framework's score and place, the advice, and the performance weight the kind of project
gives. For reviewing a change of ratings or weights (run it before and after, and compare).

    python scripts/helper_answers.py

A throw-away database is migrated and seeded from fixtures/; nothing else is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def answers() -> list[str]:
    from comparisons.views import helper_answer, helper_choices

    choices = helper_choices()
    lines = []
    for project_type in [*choices.project_types, None]:
        slug = project_type.slug if project_type else ""
        answer = helper_answer(choices, slug, ())
        weights = {criterion.slug: weight.value for criterion, weight in answer.weights}
        scores = ", ".join(
            f"{p.framework.name} {p.score}{' (tie)' if p.tied else ''}" for p in answer.placings
        )
        lines.append(
            f"{slug or 'not sure':<20} performance weight {weights.get('performance', '-')}: "
            f"{scores}. {answer.advice}"
        )
    return lines


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="helper-answers-") as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/site.sqlite3"
        os.environ["CACHE_URL"] = "locmem://"
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("seed", verbosity=0)
        print("\n".join(answers()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
