"""Moved: the one list of public pages is core/pages.py. Import it from there.

Only a re-export, left for the test files of the page cache that are being rewritten
elsewhere (tests/test_cache_attacks.py, tests/test_per_version.py, tests/test_budgets.py):
delete this file once they import core.pages.
"""

from core.pages import ANSWERED_PAGES, ARTICLE, CHOOSE_ANSWER, FOR_MACHINES, OPEN_DATA, PUBLIC_PAGES

__all__ = [
    "ANSWERED_PAGES",
    "ARTICLE",
    "CHOOSE_ANSWER",
    "FOR_MACHINES",
    "OPEN_DATA",
    "PUBLIC_PAGES",
]
