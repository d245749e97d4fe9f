from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

# The first public release of Python was in 1991: no Python web framework is older.
EARLIEST_YEAR = 1991
LATEST_YEAR = 2100

validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter an http:// or https:// URL."
)


def validate_not_future_year(value: int) -> None:
    this_year = timezone.now().year
    if value > this_year:
        raise ValidationError(
            "%(value)s is in the future; give the year of the first public release.",
            code="future_year",
            params={"value": value},
        )


def validate_markdown(value: str) -> None:
    """Markdown an editor saves must stay within the renderer's limits (core/markdown.py)."""
    from core.markdown import markdown_problem

    problem = markdown_problem(value or "")
    if problem:
        raise ValidationError(problem, code="markdown_limits")
