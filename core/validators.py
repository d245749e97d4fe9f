from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.utils import timezone

# The first public release of Python was in 1991: no Python web framework is older.
EARLIEST_YEAR = 1991
LATEST_YEAR = 2100

validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter an http:// or https:// URL."
)


# A page of this site, as a source: "/methodology/#benchmark" (a path and an optional
# fragment: no scheme, host, query, spaces or backslashes, and never "//", which a browser
# reads as another host).
_SITE_PATH = RegexValidator(r"^/(?!/)[-A-Za-z0-9._~/%]*(#[-A-Za-z0-9._~]*)?\Z")


def validate_source_link(value: str) -> None:
    """A source's link: an http(s) URL elsewhere, or a page of this site ("/methodology/")."""
    try:
        (_SITE_PATH if value.startswith("/") else validate_web_url)(value)
    except ValidationError:
        raise ValidationError(
            "Enter an http:// or https:// URL, or a page of this site such as /methodology/.",
            code="invalid",
        ) from None


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


# A project name on the Python Package Index (PEP 508's rule for distribution names).
validate_package_name = RegexValidator(
    r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])\Z",
    message="Enter the project's name as on pypi.org: letters, digits, “.”, “_” and “-”.",
)

# A release series: one to three numbers separated by dots, e.g. 5.2.
validate_release_line = RegexValidator(
    r"^[0-9]+(\.[0-9]+){0,2}\Z", message="Enter a release series such as 5.2."
)
