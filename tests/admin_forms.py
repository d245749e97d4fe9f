"""The admin as a browser uses it: its addresses; its forms read from the page, changed, posted."""

from __future__ import annotations

from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from django.utils.http import urlencode

from tests.html import parse

FORM_ENCODED = "application/x-www-form-urlencoded"


class BrowserClient(Client):
    """Django's test client, posting a form as a browser posts one without a file input:
    URL-encoded (the test client's default is multipart, which no form of this site sends
    and which Django parses several times slower). Files, or a content type given, are sent
    as asked."""

    def post(self, path, data=None, content_type=None, **extra):
        files = isinstance(data, dict) and any(hasattr(v, "read") for v in data.values())
        if content_type is None and isinstance(data, dict) and not files:
            return super().post(path, urlencode(data, doseq=True), FORM_ENCODED, **extra)
        return super().post(path, data, content_type or MULTIPART_CONTENT, **extra)


# --- addresses, by the admin's own URL names


def admin_url(model, view: str, *args) -> str:
    """The admin page `view` of a model (or of an object's model), by its URL name: "changelist",
    "add", "change", "delete", "history", and django-reversion's "recoverlist", "recover" and
    "revision"."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def change_url(obj) -> str:
    return admin_url(obj, "change", obj.pk)


# --- forms


def read_form(response, form_id: str) -> dict[str, str | list[str]]:
    """The values a browser would submit from the admin form with this id."""
    form = parse(response).find("form", id=form_id)
    assert form is not None, f"no form #{form_id} on the page"
    data: dict[str, list[str]] = {}
    for field in form.descendants():
        name = field.attrs.get("name")
        if not name:
            continue
        if field.tag == "input":
            kind = field.attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file"}:
                continue
            if kind in {"checkbox", "radio"} and "checked" not in field.attrs:
                continue
            # A checked box without a value sends "on"; an empty text box sends "".
            default = "on" if kind in {"checkbox", "radio"} else ""
            data.setdefault(name, []).append(field.attrs.get("value", default))
        elif field.tag == "textarea":
            data.setdefault(name, []).append(field.text.removeprefix("\n"))
        elif field.tag == "select":
            data.setdefault(name, []).extend(
                option.attrs.get("value", "")
                for option in field.find_all("option")
                if "selected" in option.attrs
            )
    assert data, f"no fields in form #{form_id}"
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def add_inline_row(data: dict, prefix: str, **fields) -> None:
    """Add one row to an inline formset, as the "Add another" link does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)


def errors_of(response) -> dict:
    """Field errors of the main form and of each inline form, as Django admin collected them."""
    form = response.context["adminform"].form
    found = {name: list(messages) for name, messages in form.errors.items()}
    for formset in response.context["inline_admin_formsets"]:
        for index, errors in enumerate(formset.formset.errors):
            for name, messages in errors.items():
                found[f"{formset.formset.prefix}-{index}-{name}"] = list(messages)
        if formset.formset.non_form_errors():
            found[f"{formset.formset.prefix}-__all__"] = list(formset.formset.non_form_errors())
    return found
