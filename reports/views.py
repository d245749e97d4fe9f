"""The "report a mistake" form and its thank-you page.

Neither page is ever kept by the page cache (never_cache): the form carries a CSRF token
made for one reader, and neither page is the same for everyone. A report is refused, with
nothing stored, when the trap field for robots is filled in (400) or when its sender's
address sent REPORT_LIMIT reports within REPORT_LIMIT_WINDOW (429).
"""

import math
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.cache import query_parameters
from reports.forms import ReportForm
from reports.models import Report, sender_hash
from reports.pages import known_page, public_paths

ROBOT_REFUSAL = (
    "This report was not sent: the field that people leave empty (it is hidden from them) "
    "was filled in, which robots do. Nothing was stored. If you are a person, send the "
    "report again: that field is empty now."
)


def flood_refusal(minutes: int) -> str:
    return (
        f"This report was not sent: this address has sent {settings.REPORT_LIMIT} reports "
        "in the last hour, which is as many as we accept. Nothing was stored. Thank you for "
        f"the reports so far; please try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


def minutes_until_allowed(sender: str) -> int:
    """When the oldest report in the window leaves it, a new one is accepted."""
    oldest = Report.objects.recent_from(sender).order_by("created_at").first()
    if oldest is None:
        return 1
    seconds = (oldest.created_at + settings.REPORT_LIMIT_WINDOW - timezone.now()).total_seconds()
    return max(1, math.ceil(seconds / 60))


def form_page(request, form, status=200):
    # canonical_url None: no canonical link, no share cards and no "report a mistake" link.
    context = {"form": form, "canonical_url": None}
    return render(request, "reports/report_form.html", context, status=status)


@query_parameters("page")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_form(request, sitemaps):
    """GET: the form, its page filled in from ?page= when that is a public page's path.
    POST: the report stored and a redirect to the thank-you page, or the form again."""
    pages = partial(public_paths, sitemaps)
    if request.method != "POST":
        page = known_page(request.GET.get("page"), sitemaps)
        form = ReportForm(initial={"page": page}, public_paths=pages)
        form.page_unknown = bool(request.GET.get("page")) and not page
        return form_page(request, form)

    form = ReportForm(request.POST, public_paths=pages)
    if form.robot_suspected():
        # The form again with the trap emptied: a person whose browser filled it in (an
        # autofill) can send it again as it is.
        data = request.POST.copy()
        data["website"] = ""
        form = ReportForm(data, public_paths=pages)
        form.refuse(ROBOT_REFUSAL)
        return form_page(request, form, status=400)
    sender = sender_hash(request)
    with transaction.atomic():
        # Counted and stored in one transaction, one sender at a time: reports sent at the
        # same moment cannot all count the same four and store a sixth.
        Report.objects.lock_sender(sender)
        if Report.objects.recent_from(sender).count() >= settings.REPORT_LIMIT:
            minutes = minutes_until_allowed(sender)
            form.refuse(flood_refusal(minutes))
            response = form_page(request, form, status=429)
            response["Retry-After"] = str(minutes * 60)
            return response
        if not form.is_valid():
            return form_page(request, form)
        report = form.save(commit=False)
        report.sender_hash = sender
        report.save()
    thanks = reverse("reports:thanks") + "?" + urlencode({"page": report.page}, safe="/")
    return HttpResponseRedirect(thanks, status=303)


@query_parameters("page")
@never_cache
@require_safe
def thanks(request, sitemaps):
    """The reader's receipt, with a link back to the page the report is about."""
    context = {"page": known_page(request.GET.get("page"), sitemaps), "canonical_url": None}
    return render(request, "reports/thanks.html", context)
