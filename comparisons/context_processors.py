from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from comparisons.lineup import Lineup, published_lineup


def lineup(request):
    """The published frameworks as the site's words name them ({{ lineup.or_list }}): read
    only by a page that uses them (one query). With the database away
    (a page of errors), none: the words fall back to ones that name no framework."""
    return {"lineup": SimpleLazyObject(_lineup_or_none)}


def _lineup_or_none() -> Lineup:
    try:
        return published_lineup()
    except DatabaseError:
        return Lineup(())
