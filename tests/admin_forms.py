"""Fill in a Django admin form the way a browser would: read it from the page, change, post."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on"))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.data.setdefault(self._textarea, []).append(text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def read_form(response, form_id: str) -> dict[str, str | list[str]]:
    """The values a browser would submit from the admin form with this id."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form #{form_id} on the page"
    return {name: values[0] if len(values) == 1 else values for name, values in reader.data.items()}


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
