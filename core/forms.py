"""Form fields of the admin that keep text as it was typed.

A browser submits a textarea's line breaks as CRLF (the HTML standard says so), whatever the
stored text holds; Django's CharField keeps them, so a form saved without a change to its
Markdown stored it again with other line breaks and logged "Changed Summary" in the history.
These fields read every line break as "\\n", in what is submitted and in what the form was
opened on: an unchanged text is never a change, and what is stored has one kind of line break.
"""

from __future__ import annotations

from django import forms
from markdownx.fields import MarkdownxFormField


def as_typed(value):
    """The text with every line break a "\\n" (CRLF and a lone CR as well); other values as
    they are."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class TextAsTypedMixin:
    """What the fields below share: line breaks read one way, submitted and initial alike."""

    def to_python(self, value):
        return super().to_python(as_typed(value))

    def has_changed(self, initial, data) -> bool:
        # The initial value is the stored text: read it as a submitted one is (its line
        # breaks, and the outer blanks CharField strips), so only a real edit is a change.
        if isinstance(initial, str):
            initial = self.to_python(initial)
        return super().has_changed(initial, data)  # type: ignore[misc]


class TextAsTyped(TextAsTypedMixin, forms.CharField):
    """A plain text box (a model's TextField)."""


class MarkdownAsTyped(TextAsTypedMixin, MarkdownxFormField):
    """A Markdown box with django-markdownx's editor (a model's MarkdownxField)."""
