"""The editors' back office for the code samples: the tasks' explanations and the notes are
theirs; the code, its file and lines and the versions are the files' (read-only here, set by
`manage.py sync_samples`), and so is which sample apps and parts there are, and where: a
sample app's framework and folder are read-only, and no one adds or deletes a sample app or
a part here (sync_samples does). They go with their framework when it is deleted, listed on
its confirmation page (``deleted_with_their_parent``, core.admin)."""

from django.contrib import admin, messages
from django.utils.html import format_html

from codesamples.models import Sample, SampleApp, Task
from core.admin import ContentAdmin, ContentInlineMixin

FROM_THE_FILES = ("path", "first_line", "code_shown")


class FromTheFiles:
    """Rows the files make: never added or deleted here, but deleted with their framework."""

    deleted_with_their_parent = True

    def has_add_permission(self, request, obj=None):
        return False  # sync_samples adds them, from the files

    def has_delete_permission(self, request, obj=None):
        return False  # only with their framework (or their task)


class CodeShown:
    @admin.display(description="code (from the file; sync_samples sets it)")
    def code_shown(self, obj):
        return format_html('<pre style="overflow-x:auto">{}</pre>', obj.code) if obj.pk else "—"


class SampleInline(CodeShown, FromTheFiles, ContentInlineMixin, admin.StackedInline):
    model = Sample
    extra = 0
    can_delete = False
    fields = ["position", *FROM_THE_FILES, "note"]
    readonly_fields = ["position", *FROM_THE_FILES]
    ordering = ["task__position", "task__slug", "position"]


@admin.register(Task)
class TaskAdmin(ContentAdmin):
    list_display = ["name", "slug", "inline", "position"]
    list_editable = ["position"]
    list_filter = ["inline"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SampleApp)
class SampleAppAdmin(FromTheFiles, ContentAdmin):
    list_display = ["framework", "folder"]
    list_select_related = ["framework"]
    fields = [
        "framework",
        "folder",
        "versions",
        "note",
        ("latest_tested_on", "latest_passed"),
        "latest_versions",
        "latest_problem",
    ]
    readonly_fields = [
        "framework",
        "folder",
        "versions",
        "latest_tested_on",
        "latest_passed",
        "latest_versions",
        "latest_problem",
    ]
    search_fields = ["framework__name", "folder", "note"]
    inlines = [SampleInline]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """A sample whose lock is behind a security release says so on its page."""
        if obj is not None and request.method == "GET":
            for sentence in obj.behind_security():
                messages.warning(request, sentence)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Sample)
class SampleAdmin(CodeShown, FromTheFiles, ContentAdmin):
    list_display = ["task", "app", "path", "first_line", "position"]
    list_select_related = ["task", "app__framework"]
    list_filter = ["app__framework", "task"]
    search_fields = ["path", "code", "note", "task__name"]
    fields = ["app", "task", "position", *FROM_THE_FILES, "note"]

    def get_readonly_fields(self, request, obj=None):
        return ["app", "task", "position", *FROM_THE_FILES]
