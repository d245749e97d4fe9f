"""The decision helper: a reader's project and priorities in, a ranked answer with reasons out.

The score is transparent and shown to the reader:
- on each criterion a framework earns points by its rank, the same on every criterion: with
  n frameworks compared, 1st earns n points, 2nd n - 1, and so on (ties share a rank and the
  next rank skips, so 1, 1, 3 earn 3, 3, 1 of 3); an unrated cell earns nothing;
- those points are multiplied by how much the criterion matters (0 to 3): the weight the
  kind of project gives it (its "needs", set by editors), unless the reader sets their own;
  with neither, 1 ("a little");
- equal scores share a place.
The answer says why each framework scores what it does, and what the winner costs: the
criteria that matter here on which it does not lead. Nothing about particular frameworks is
written here: it all comes from the ratings and the project types editors maintain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict

from comparisons.models import Criterion, Framework, ProjectNeed, ProjectType, Rating
from comparisons.tables import Row, points
from core.templatetags.site import (
    first_sentence,
    lower_first,
    names_and,
    ordinal,
    place_text,
    plain_text,
)

WEIGHTS = [(0, "Not at all"), (1, "A little"), (2, "Quite a lot"), (3, "Most of all")]
FROM_PROJECT = ""  # the answer "as my project needs": the project type's weight
DEFAULT_WEIGHT = 1  # a criterion with neither the reader's weight nor the project's
WEIGHT_PREFIX = "w-"  # a weight's field (and query parameter) is w-<criterion slug>
PYTHON = "python"  # the reader's Python ("3.11"): which line the install command installs
HOW_MUCH = {1: "a little", 2: "quite a lot", 3: "most"}  # a weight inside a sentence


def plus(points: int) -> str:
    return f"+{points} point{'' if points == 1 else 's'}"


def weight_field_name(criterion: Criterion) -> str:
    return f"{WEIGHT_PREFIX}{criterion.slug}"


Answer = tuple[str | int, str]  # an answer to a question: its value and its label


class HelperForm(forms.Form):
    """What are you building, and how much does each criterion matter? All optional."""

    def __init__(
        self,
        data: QueryDict | None,
        *,
        project_types: Sequence[ProjectType],
        criteria: Sequence[Criterion],
        pythons: Sequence[str] = (),
    ) -> None:
        super().__init__(data)
        self.criteria = list(criteria)
        self.project_types = list(project_types)
        # The one question a reader must answer: the kinds of project (editors list "Not sure
        # yet" among them); a blank answer is accepted only beside weights of the reader's own.
        kinds: list[Answer] = [(t.slug, t.name) for t in project_types]
        weights: list[Answer] = [(FROM_PROJECT, "As my project needs"), *WEIGHTS]
        # Each question's answers, as its field has them: what questions() draws.
        self.answers: dict[str, list[Answer]] = {"building": kinds}
        self.fields["building"] = forms.ChoiceField(
            label="What are you building?",
            choices=[("", "Not chosen"), *kinds],
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choose one of the kinds of project listed."},
        )
        for criterion in self.criteria:
            self.answers[weight_field_name(criterion)] = weights
            self.fields[weight_field_name(criterion)] = forms.TypedChoiceField(
                label=f"{criterion.name}: how much does it matter to you?",
                choices=weights,
                coerce=int,
                empty_value=None,
                required=False,
                initial=FROM_PROJECT,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": "Choose one of the answers: as your project needs, or 0 to 3."
                },
            )

        # The reader's Python, for the install command (not a question of the ranking).
        self.pythons = list(pythons)
        self.fields[PYTHON] = forms.ChoiceField(
            label="Your Python",
            choices=[("", "Not sure"), *((v, f"Python {v}") for v in self.pythons)],
            required=False,
            error_messages={
                "invalid_choice": "Choose your Python from the list (type python --version "
                "to see it)."
            },
        )

    def clean(self):
        cleaned = super().clean()
        # One answer per question: a repeated key is an error on that question.
        for name in self.fields:
            if len(self.data.getlist(name)) > 1:
                self.add_error(name, "Answered more than once: choose one answer.")
        if "building" not in self.errors and not cleaned.get("building") and not self.own_weights():
            self.add_error("building", "Choose what you are building, or “Not sure yet”.")
        return cleaned

    def python(self) -> str:
        return self.cleaned_data.get(PYTHON) or ""

    def project_type(self) -> ProjectType | None:
        slug = self.cleaned_data.get("building")
        return next((t for t in self.project_types if t.slug == slug), None)

    def weights(self) -> dict[int, Weight]:
        """Each criterion's weight and where it comes from: the reader, the project, or neither."""
        return weights_for(self.criteria, self.project_type(), self.own_weights())

    def own_weights(self) -> dict[str, int]:
        """The weights the reader set: criterion slug -> 0 to 3 (of the answers that are valid)."""
        found = {}
        for criterion in self.criteria:
            own = getattr(self, "cleaned_data", {}).get(weight_field_name(criterion))
            if own is not None:
                found[criterion.slug] = own
        return found


def answer_key(form: HelperForm) -> tuple[str, tuple[tuple[str, int], ...], str]:
    """A valid answer in a canonical form: the kind of project's slug ("" for none), the
    reader's own weights, sorted, and their Python ("" for not said). Two requests the helper
    answers alike give the same key."""
    project_type = form.project_type()
    slug = project_type.slug if project_type else ""
    return (slug, tuple(sorted(form.own_weights().items())), form.python())


def weights_for(
    criteria: Sequence[Criterion], project_type: ProjectType | None, own: dict[str, int]
) -> dict[int, Weight]:
    """Each criterion's weight: the reader's own (by criterion slug), else what the kind of
    project needs, else the default."""
    needs = needs_of(project_type)
    found = {}
    for criterion in criteria:
        if criterion.slug in own:
            found[criterion.pk] = Weight(own[criterion.slug], "you")
        elif criterion.pk in needs:
            need = needs[criterion.pk]
            found[criterion.pk] = Weight(need.weight, "project", need.why)
        else:
            found[criterion.pk] = Weight(DEFAULT_WEIGHT, "default")
    return found


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class Question:
    """One question of the form as the page draws it: a fieldset of radio buttons."""

    name: str
    legend: str
    errors: list[str]
    options: list[Option]
    hint: str = ""  # what the criterion measures, in a sentence


def questions(form: HelperForm) -> list[Question]:
    """The form's questions with the reader's answers checked: what templates draw, without
    rendering a widget template per radio button (a few hundred of them a page)."""
    hints = {
        weight_field_name(c): first_sentence(plain_text(c.description_html)) for c in form.criteria
    }
    drawn = []
    for name, form_field in form.fields.items():
        if name == PYTHON:
            continue  # a select of its own, in the answer's "Start with" box
        bound = form[name]
        value = bound.value()
        chosen = "" if value is None else str(value)
        drawn.append(
            Question(
                name=name,
                legend=str(form_field.label),
                hint=hints.get(name, ""),
                errors=[str(error) for error in bound.errors],
                options=[
                    Option(str(v), str(label), f"id_{name}_{i}", str(v) == chosen)
                    for i, (v, label) in enumerate(form.answers[name])
                ],
            )
        )
    return drawn


def needs_of(project_type: ProjectType | None) -> dict[int, ProjectNeed]:
    """The project type's needs by criterion (the views prefetch them with the project types:
    ``prefetch_related("needs")``)."""
    if project_type is None:
        return {}
    return {need.criterion_id: need for need in project_type.needs.all()}


@dataclass(frozen=True)
class Weight:
    value: int
    source: str  # "you", "project" or "default"
    why: str = ""


@dataclass(frozen=True)
class Reason:
    """Why a framework gains points on one criterion, told as a sentence: how much the
    criterion counts and for whom, where the framework places on it, and our verdict."""

    criterion: Criterion
    rating: Rating
    of: int  # the frameworks rated on this criterion
    tied: bool  # its rank is shared
    weight: Weight
    gained: int
    project_type: ProjectType | None = None

    @property
    def sentence(self) -> str:
        """ "You care most about performance, and here FastAPI leads." """
        name, much = lower_first(self.criterion.name), HOW_MUCH[self.weight.value]
        if self.weight.source == "project" and self.project_type is not None:
            counts = f"Your kind of project needs {name} {much}"  # named above the ranking
        elif self.weight.source == "you":
            counts = f"You care {much} about {name}"
        else:
            counts = f"We count {name} {much} by default"
        where = standing(self.rating, self.of, self.tied)
        return f"{counts}, and here {self.rating.framework.name} {where}."

    @property
    def verdict(self) -> str:
        return self.rating.verdict.rstrip(".") + "."

    @property
    def points(self) -> str:
        return plus(self.gained)

    def __str__(self) -> str:
        return f"{self.sentence} {self.verdict} ({self.points})"


def standing(rating: Rating, of: int, tied: bool) -> str:
    """Where a rating places, as a sentence says it: "leads", "shares the lead", "is 2nd of
    3", "is joint 2nd of 4"."""
    if rating.rank == 1:
        return "shares the lead" if tied else "leads"
    return f"is {'joint ' if tied else ''}{ordinal(rating.rank)} of {of}"


@dataclass
class Placing:
    framework: Framework
    score: int
    place: int = 0
    tied: bool = False
    reasons: list[Reason] = field(default_factory=list)
    costs: list[str] = field(default_factory=list)

    @property
    def place_text(self) -> str:
        return place_text(self.place, self.tied)


def rank(
    frameworks: Sequence[Framework],
    rows: Sequence[Row],
    weights: dict[int, Weight],
    project_type: ProjectType | None = None,
) -> list[Placing]:
    """The frameworks placed by their scores, each with its reasons, the first with its costs."""
    scored = points(rows)
    by_weight = sorted(rows, key=lambda row: -_value(weights, row.criterion.pk))
    placings = []
    for framework in frameworks:
        score, reasons = 0, []
        for row in by_weight:
            weight = weights.get(row.criterion.pk)
            rating = _rating(row, framework)
            if rating is None or weight is None or weight.value == 0:
                continue
            gained = weight.value * scored[(rating.criterion_id, rating.framework_id)]
            score += gained
            of, tied = len(row.ratings), row.tied(rating)
            reasons.append(Reason(row.criterion, rating, of, tied, weight, gained, project_type))
        placings.append(Placing(framework, score, reasons=reasons))
    _place(placings)
    for placing in placings:
        if placing.place == 1:
            placing.costs = costs(placing.framework, by_weight, weights, frameworks)
    return placings


def places(
    frameworks: Sequence[Framework], rows: Sequence[Row], weights: dict[int, Weight]
) -> list[Placing]:
    """The frameworks placed by their scores, as ``rank`` places them, without the reasons
    and costs that only an answer shows (the short answer places every kind of project)."""
    scores = {framework.pk: 0 for framework in frameworks}
    for (criterion_id, framework_id), earned in points(rows).items():
        weight = weights.get(criterion_id)
        if weight is not None and framework_id in scores:
            scores[framework_id] += weight.value * earned
    placings = [Placing(framework, scores[framework.pk]) for framework in frameworks]
    _place(placings)
    return placings


def _place(placings: list[Placing]) -> None:
    """Sort by score, highest first, and number the places: equal scores share one."""
    placings.sort(key=lambda placing: -placing.score)  # stable: ties keep display order
    for placing in placings:
        same = [other for other in placings if other.score == placing.score]
        placing.place = placings.index(same[0]) + 1
        placing.tied = len(same) > 1


# A lead of at most this share of the winner's score (and at least a point) is a close call.
CLOSE_CALL = 0.1


def contenders(placings: Sequence[Placing]) -> list[Placing]:
    """Who a tie or a close call is between: the leader, or the frameworks sharing first
    place, and each other framework within CLOSE_CALL of the leading score (and at least a
    point). One framework alone when it leads clearly."""
    if not placings:
        return []
    lead = placings[0].score  # placings are sorted, highest first
    return [p for p in placings if lead - p.score <= max(1, lead * CLOSE_CALL)]


@dataclass(frozen=True)
class Advice:
    """The answer in words first, a sentence a beginner can act on (who to start with, or in
    a close call what would tip it), then the working in points, for those who want it."""

    words: str
    working: str
    winner: Framework
    close: bool

    def __str__(self) -> str:
        return f"{self.words} {self.working}"


def what_tips(between: Sequence[Placing]) -> list[Criterion | None]:
    """For each framework in a close call, the criterion that gains it the most points over
    the best of the others here: what would tip the call its way (None if none does)."""
    gained: dict[int, list[int]] = {}
    criteria: dict[int, Criterion] = {}
    for index, placing in enumerate(between):
        for reason in placing.reasons:
            criteria[reason.criterion.pk] = reason.criterion
            gained.setdefault(reason.criterion.pk, [0] * len(between))[index] = reason.gained
    tips: list[Criterion | None] = []
    for index in range(len(between)):
        best, lead = None, 0
        for pk, row in gained.items():  # in the order the criteria are shown
            ahead = row[index] - max(p for i, p in enumerate(row) if i != index)
            if ahead > lead:
                best, lead = criteria[pk], ahead
        tips.append(best)
    return tips


def advice(placings: Sequence[Placing], project_type: ProjectType | None = None) -> Advice:
    """The answer: who to start with and why, in words; a tie or a close call said as such,
    with what would tip it; then the points."""
    first = placings[0]
    name = first.framework.name
    here = "what this kind of project needs" if project_type else "what you told us matters"
    scores = ", ".join(f"{p.framework.name} {p.score}" for p in placings)
    working = f"The working, in points for {here}: {scores}."
    if len(placings) == 1:
        return Advice(f"Start with {name}.", working, first.framework, close=False)
    between = contenders(placings)
    if len(between) > 1:
        names = [p.framework.name for p in between]
        listed = names_and(names)
        call = "A tie" if all(p.place == 1 for p in between) else "A close call"
        # What would tip it towards each that some criterion favours (a framework level with
        # another on every criterion that helps it has none, and is named without one).
        tipped = [(tip, who) for tip, who in zip(what_tips(between), names, strict=True) if tip]
        if len(tipped) > 1:
            ifs = "; ".join(
                f"if {'you care most ' if index == 0 else ''}about {lower_first(tip.name)}, "
                f"start with {who}"
                for index, (tip, who) in enumerate(tipped)
            )
            words = f"{call} between {listed}: {ifs}."
        else:
            words = (
                f"{call} between {listed}: open each one's reasons below and start with the "
                f"one that leads on what you weigh most."
            )
        return Advice(words, working, first.framework, close=True)
    wins = [r.criterion for r in first.reasons if r.rating.rank == 1]
    top = max((r.weight.value for r in first.reasons), default=0)
    most = [
        c for c in wins if any(r.criterion == c and r.weight.value == top for r in first.reasons)
    ]
    if most:
        words = (
            f"Start with {name}: it leads on {names_and(most[:2], 'lower')}, which "
            f"{'matter' if len(most[:2]) > 1 else 'matters'} most "
            f"{'for this kind of project' if project_type else 'to you'}."
        )
    elif wins:
        leads = names_and(wins[:2], "lower")
        words = f"Start with {name}: it leads on {leads} and does well on the rest."
    else:
        words = f"Start with {name}: it does well across what matters here, without leading."
    return Advice(words, working, first.framework, close=False)


@dataclass
class QuickAnswer:
    """Each kind of project's answer at its own weights, grouped: the kinds each framework
    wins clearly, and those that are close calls."""

    wins: list[tuple[Framework, list[ProjectType]]]
    close: list[CloseCall]


@dataclass(frozen=True)
class CloseCall:
    """A kind of project whose answer is close: the frameworks in it, the leader first."""

    project_type: ProjectType
    frameworks: list[Framework]


def quick_answer(
    frameworks: Sequence[Framework], rows: Sequence[Row], project_types: Sequence[ProjectType]
) -> QuickAnswer:
    """The helper's answer for every kind of project (their needs prefetched), as the home
    page and the guide sum it up, from these frameworks' table on every criterion they are
    rated on."""
    criteria = [row.criterion for row in rows]
    won: dict[int, list[ProjectType]] = {framework.pk: [] for framework in frameworks}
    close = []
    for project_type in project_types:
        placings = places(frameworks, rows, weights_for(criteria, project_type, {}))
        between = contenders(placings)
        if len(between) > 1:
            close.append(CloseCall(project_type, [p.framework for p in between]))
        elif not placings:
            continue
        else:
            won[placings[0].framework.pk].append(project_type)
    wins = [(framework, won[framework.pk]) for framework in frameworks if won[framework.pk]]
    return QuickAnswer(wins, close)


def nothing_matters(weights: dict[int, Weight]) -> bool:
    """Every criterion weighed at 0: there is nothing to rank by."""
    return not any(weight.value for weight in weights.values())


def costs(
    framework: Framework,
    rows: Sequence[Row],
    weights: dict[int, Weight],
    frameworks: Sequence[Framework],
) -> list[str]:
    """What choosing this framework gives up: each criterion that counts here on which it does
    not lead, with its verdict and who leads instead (most important first)."""
    names = {f.pk: f.name for f in frameworks}
    found = []
    for row in rows:
        weight = weights.get(row.criterion.pk)
        rating = _rating(row, framework)
        if weight is None or weight.value == 0 or rating is None or rating.rank == 1:
            continue
        leaders = [names[r.framework_id] for r in row.ratings if r.rank == 1]
        lead = f" ({' and '.join(leaders)} lead{'s' if len(leaders) == 1 else ''} here)"
        found.append(
            f"On {lower_first(row.criterion.name)} it "
            f"{standing(rating, len(row.ratings), row.tied(rating))}: "
            f"{rating.verdict}{lead if leaders else ''}."
        )
    return found


def _value(weights: dict[int, Weight], pk: int) -> int:
    weight = weights.get(pk)
    return weight.value if weight else 0


def _rating(row: Row, framework: Framework) -> Rating | None:
    return next((r for r in row.ratings if r.framework_id == framework.pk), None)
