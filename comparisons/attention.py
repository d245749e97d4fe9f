"""What of the comparison data needs the editors' attention (core.attention): reviews due,
ranks that break the rules, texts gone stale, unpublished frameworks. Each is found by the
function that already decides it (``Framework.objects.review_due``,
``evidence.conflicts_by_criterion``, ``lineup.stale_texts``), and linked to where it is fixed.

Ranks and stale texts are also checked on every save in the admin: a save that breaks a rank
rule or makes a text stale is told so on the page it lands on. Registered when the admin
loads comparisons/admin.py, which imports this module.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from comparisons import refresh
from comparisons.evidence import conflicts_by_criterion
from comparisons.lineup import stale_texts
from comparisons.models import Framework
from core.attention import LISTED, Found, Kind, Problem, register


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def changelist_url(model, query: str = "") -> str:
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


# --- ranks


def rank_problems(frameworks=None) -> list[Problem]:
    """Each rank that breaks the rules (ties, figures) among the published frameworks (or
    these), linked to its criterion's page, where the ranks are edited side by side."""
    return [
        Problem(
            lead=f"{conflict} ", link=f"Edit the ranks on {criterion}", url=change_url(criterion)
        )
        for criterion, conflicts in conflicts_by_criterion(frameworks=frameworks).items()
        for conflict in conflicts
    ]


def publishing_conflicts(pks) -> list[Problem]:
    """What breaks the rules once these frameworks are published that did not with them
    unpublished: what publishing them would show readers. Worked out from the ranks as they
    are saved now (the frameworks' own publishing flag aside)."""
    without = Framework.objects.filter(is_published=True).exclude(pk__in=pks)
    with_them = Framework.objects.filter(Q(is_published=True) | Q(pk__in=pks))
    before = set(rank_problems(without))
    return [problem for problem in rank_problems(with_them) if problem not in before]


def find_rank_conflicts() -> Found:
    problems = rank_problems()
    return Found(len(problems), problems)


# --- texts


def stale_text_problems() -> list[Problem]:
    return [
        Problem(
            link=f"{text.model} “{text.label}”",
            url=text.admin_url,
            rest=f", {text.field}{f' (“{text.excerpt}”)' if text.excerpt else ''}: {text.why}.",
            key=text.text,
        )
        for text in stale_texts()
    ]


def find_stale_texts() -> Found:
    problems = stale_text_problems()
    return Found(len(problems), problems)


# --- frameworks to review, and drafts


def find_reviews_due() -> Found:
    due = list(Framework.objects.review_due().select_related("fact_check"))
    problems = [
        Problem(link=str(framework), url=change_url(framework), rest=f": {'; '.join(reasons)}.")
        for framework in due
        if (reasons := framework.review_due)
    ]
    return Found(
        len(due),
        problems[:LISTED],
        changelist_url(Framework, "review=due"),
        "The frameworks due for review",
    )


def find_draft_frameworks() -> Found:
    drafts = Framework.objects.filter(is_published=False).order_by("position", "name")
    return Found(
        drafts.count(),
        [
            Problem(link=str(framework), url=change_url(framework), rest=": not published.")
            for framework in drafts[:LISTED]
        ],
        changelist_url(Framework, "is_published__exact=0"),
        "The unpublished frameworks",
    )


# --- release facts the package index could not refresh, and samples behind a security fix


def find_release_fact_problems() -> Found:
    """Each framework whose last refresh of its release facts failed (its facts are those of
    its last good check, which the line says), and each sample whose lock pins its framework
    behind a security release."""
    from django.apps import apps
    from django.utils import formats

    problems = []
    for check in refresh.failing_checks():
        framework = check.framework
        since = (
            f"serving the facts read {formats.date_format(check.checked_at, 'j F Y')}"
            if check.checked_at
            else "no facts were ever read"
        )
        problems.append(
            Problem(
                link=str(framework),
                url=change_url(framework),
                rest=f": the package index could not be read ({check.failure}); {since}.",
            )
        )
    sample_app = apps.get_model("codesamples", "SampleApp")
    for app in sample_app.objects.select_related("framework").order_by("framework__position"):
        for sentence in app.behind_security():
            problems.append(Problem(link=f"{app.framework} sample", url=change_url(app),
                                    rest=f": {sentence}"))  # fmt: skip
    return Found(len(problems), problems[:LISTED])


def rank_warning(count: int) -> str:
    if count == 1:
        return "After this change a rank breaks the rules, and readers see it:"
    return f"After this change {count} ranks break the rules, and readers see them:"


def stale_warning(count: int) -> str:
    if count == 1:
        return "1 text no longer matches the published frameworks or the release facts:"
    return f"{count} texts no longer match the published frameworks or the release facts:"


register(Kind("reviews-due", "Reviews due", 20, "comparisons.view_framework", find_reviews_due))
register(
    Kind(
        "rank-conflicts",
        "Ranks that break the rules",
        30,
        "comparisons.view_rating",
        find_rank_conflicts,
        saved=rank_warning,
    )
)
register(
    Kind(
        "stale-texts",
        "Texts that no longer match the published frameworks or the release facts",
        40,
        "comparisons.view_framework",
        find_stale_texts,
        saved=stale_warning,
    )
)
register(
    Kind(
        "release-facts",
        "Release facts not refreshed, samples behind a security release",
        45,
        "comparisons.view_framework",
        find_release_fact_problems,
    )
)
register(
    Kind(
        "draft-frameworks",
        "Unpublished frameworks",
        50,
        "comparisons.view_framework",
        find_draft_frameworks,
    )
)
