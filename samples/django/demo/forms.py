from django import forms

from .models import Note


# --- task: greet
class GreetForm(forms.Form):
    name = forms.CharField(max_length=50)
    times = forms.IntegerField(min_value=1, max_value=10)


# --- end


# --- task: notes
class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text"]


# --- end
