"""The decision helper: a reader's project and priorities in, a ranked answer with reasons out.

The score is transparent and shown to the reader:
- on each criterion a framework earns points by rank: the last rank on that criterion scores
  1, each rank above it one more (the same points as the chart);
- those points are multiplied by the weight the reader gives the criterion (0 to 3);
- each of the framework's use cases that fits the chosen kind of project adds MATCH_POINTS.
Equal scores share a place. Nothing about particular frameworks is written here: it all
comes from the ratings, the use cases and the project types editors maintain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms
from django.contrib.humanize.templatetags.humanize import ordinal

from comparisons.models import Criterion, Framework, ProjectType, UseCase
from comparisons.tables import Row, points

WEIGHTS = [(0, "Not at all"), (1, "A little"), (2, "Quite a lot"), (3, "Most of all")]
DEFAULT_WEIGHT = 1
WEIGHT_PREFIX = "w-"  # a weight's field (and query parameter) is w-<criterion slug>
MATCH_POINTS = 3
MATTERS = {1: "matters a little to you", 2: "matters quite a lot to you", 3: "matters most to you"}


def plus(points: int) -> str:
    return f"+{points} point{'' if points == 1 else 's'}"


def weight_field_name(criterion: Criterion) -> str:
    return f"{WEIGHT_PREFIX}{criterion.slug}"


class HelperForm(forms.Form):
    """What are you building, and how much does each criterion matter? All optional."""

    def __init__(self, data, *, project_types: Sequence[ProjectType], criteria: Sequence):
        super().__init__(data)
        self.criteria = list(criteria)
        self.fields["building"] = forms.ChoiceField(
            label="What are you building?",
            choices=[("", "Not sure yet")] + [(t.slug, t.name) for t in project_types],
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choose one of the kinds of project listed."},
        )
        for criterion in self.criteria:
            self.fields[weight_field_name(criterion)] = forms.TypedChoiceField(
                label=f"How much does {criterion.name.lower()} matter to you?",
                choices=WEIGHTS,
                coerce=int,
                empty_value=DEFAULT_WEIGHT,
                required=False,
                initial=DEFAULT_WEIGHT,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the four answers (0 to 3)."},
            )

    def clean(self):
        cleaned = super().clean()
        # One answer per question: a repeated key is an error on that question.
        for name in self.fields:
            if len(self.data.getlist(name)) > 1:
                self.add_error(name, "Answered more than once: choose one answer.")
        return cleaned

    def weights(self) -> dict[int, int]:
        return {
            criterion.pk: self.cleaned_data[weight_field_name(criterion)]
            for criterion in self.criteria
        }

    def weight_fields(self):
        return [(criterion, self[weight_field_name(criterion)]) for criterion in self.criteria]


@dataclass
class Placing:
    framework: Framework
    score: int
    place: int = 0
    tied: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def place_text(self) -> str:
        return ("=" if self.tied else "") + ordinal(self.place)


def rank(
    frameworks: Sequence[Framework],
    rows: Sequence[Row],
    weights: dict[int, int],
    project_type: ProjectType | None,
    matching: Sequence[UseCase],
) -> list[Placing]:
    scored = points(rows)
    highest_weight = max(weights.values(), default=0)
    weights_differ = len(set(weights.values())) > 1
    placings = []
    for framework in frameworks:
        score, reasons = 0, []
        for row in sorted(rows, key=lambda row: -weights.get(row.criterion.pk, 0)):
            weight = weights.get(row.criterion.pk, 0)
            rating = next((r for r in row.ratings if r.framework_id == framework.pk), None)
            if rating is None or weight == 0:
                continue
            gained = weight * scored[(rating.criterion_id, rating.framework_id)]
            score += gained
            place = "Leads on" if rating.rank == 1 else f"Ranks {ordinal(rating.rank)} on"
            top = ", your highest weight" if weights_differ and weight == highest_weight else ""
            reasons.append(
                f"{place} {row.criterion.name.lower()}, which {MATTERS[weight]}{top}: "
                f"{rating.verdict} ({plus(gained)})."
            )
        fits = [use_case for use_case in matching if use_case.framework_id == framework.pk]
        if fits and project_type:
            gained = MATCH_POINTS * len(fits)
            score += gained
            names = ", ".join(f"“{use_case.title}”" for use_case in fits)
            reasons.append(
                f"Its use cases include {names}, which fit{'s' if len(fits) == 1 else ''} "
                f"“{project_type.name}” ({plus(gained)})."
            )
        elif project_type:
            reasons.append(f"None of its use cases is listed for “{project_type.name}”.")
        placings.append(Placing(framework, score, reasons=reasons))

    placings.sort(key=lambda placing: -placing.score)  # stable: ties keep display order
    for placing in placings:
        same = [other for other in placings if other.score == placing.score]
        placing.place = placings.index(same[0]) + 1
        placing.tied = len(same) > 1
    return placings
