from django import forms
from django.core.exceptions import ValidationError

from reports.models import TEXT_MIN_LENGTH, Report, validate_site_path

NOT_A_PUBLIC_PAGE = (
    "There is no public page at this address on this site. Copy the address of the page "
    "from your browser, from the first / on, such as /frameworks/django/."
)


class ReportForm(forms.ModelForm):
    """What a reader sends: the page, what is wrong, and an address for a reply if they like.

    ``website`` is a trap for robots: hidden from people (and from screen readers and the
    keyboard), who leave it empty; robots that fill in every field fill it in too.
    """

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Report
        fields = ["page", "text", "email"]
        labels = {"email": "Email for a reply (optional)"}
        widgets = {
            "page": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "text": forms.Textarea(attrs={"rows": 8}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, public_paths, **kwargs):
        """``public_paths``: a function giving the paths of the public pages (called only
        when a page address that looks like one of this site's is checked)."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.public_paths = public_paths
        text = self.fields["text"]
        text.widget.attrs["minlength"] = str(TEXT_MIN_LENGTH)
        text.error_messages["required"] = "Say what is wrong on the page."
        text.error_messages["max_length"] = (
            "Keep it shorter: at most %(limit_value)d characters (this has %(show_value)d)."
        )
        self.fields["page"].error_messages["required"] = "Give the address of the page."

    def clean_page(self):
        page = self.cleaned_data["page"]
        validate_site_path(page)  # before the model's turn: no lookup for a foreign address
        if page not in self.public_paths():
            raise ValidationError(NOT_A_PUBLIC_PAGE, code="not_a_public_page")
        return page

    def robot_suspected(self) -> bool:
        """Whether the trap field was filled in (read from the data, valid form or not)."""
        return bool(self.data.get("website", "").strip())

    def refuse(self, message: str) -> None:
        """Show the form again with this message for the whole of it."""
        self.add_error(None, message)
