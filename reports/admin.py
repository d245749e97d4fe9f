from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin import NoLostUpdate
from core.attention import LISTED, Found, Kind, Problem, register
from reports.models import Report


@admin.register(Report)
class ReportAdmin(NoLostUpdate):
    """Readers' reports: read them, follow the link to the page, close them with a note.

    What the reader sent is shown, never changed; reports come only from the site's form, so
    there is no "add". Closing or reopening sets or clears the closing time. Two editors
    answering one report: the second save is refused, naming the first (``NoLostUpdate``).
    """

    list_display = ["page_link", "summary", "status", "created_at"]
    list_display_links = ["summary"]
    list_filter = ["status", "page"]
    search_fields = ["text", "page", "email", "note"]
    date_hierarchy = "created_at"
    actions = ["close", "reopen"]
    fields = ["page_link", "text", "email", "created_at", "status", "closed_at", "note"]
    readonly_fields = ["page_link", "text", "email", "created_at", "closed_at"]
    list_per_page = 50

    @admin.display(description="page", ordering="page")
    def page_link(self, obj):
        # The page is a validated path on this site: a link there, never to another host.
        return format_html('<a href="{}">{}</a>', obj.page, obj.page)

    @admin.display(description="what is wrong")
    def summary(self, obj):
        return obj.summary

    def has_add_permission(self, request):
        return False

    @admin.action(description="Close the selected reports", permissions=["change"])
    def close(self, request, queryset):
        changed = queryset.filter(status=Report.Status.OPEN).update(
            status=Report.Status.CLOSED, closed_at=timezone.now()
        )
        self.message_user(request, f"{changed} report(s) closed.", messages.SUCCESS)

    @admin.action(description="Reopen the selected reports", permissions=["change"])
    def reopen(self, request, queryset):
        changed = queryset.filter(status=Report.Status.CLOSED).update(
            status=Report.Status.OPEN, closed_at=None
        )
        self.message_user(request, f"{changed} report(s) reopened.", messages.SUCCESS)


def find_open_reports() -> Found:
    """Readers' reports not closed yet, newest first, each linked to its page in the admin."""
    reports = Report.objects.filter(status=Report.Status.OPEN)
    return Found(
        reports.count(),
        [
            Problem(
                link=report.page,
                url=reverse("admin:reports_report_change", args=[report.pk]),
                rest=f": “{report.summary}”",
            )
            for report in reports[:LISTED]
        ],
        reverse("admin:reports_report_changelist") + "?status__exact=open",
        "The open reports",
    )


register(
    Kind("open-reports", "Open readers' reports", 10, "reports.view_report", find_open_reports)
)
