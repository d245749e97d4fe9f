"""Release facts written in prose, checked against the facts themselves.

A framework's release facts (its latest release and the Python it needs, its LTS line's newest
release and Python; comparisons.releases reads them from the package index) are said in one
place: the facts box. When editors' prose says them again ("current releases need Python 3.10
or newer", "5.2.19, the newest release of the long-term support line"), it goes stale with the
next release. ``problems`` finds such sentences that disagree with the facts, so that they show
with the other stale texts (comparisons.lineup.stale_texts: the admin, the attention page,
``manage.py check_texts``, a test over the seeded content).

Corrections are left alone: each says what was true on its date, and shows the date. Only
claims about now are read: a sentence that names the newest, latest or current release,
or says what a release needs (present tense). Dated history ("0.162.5 was the last release
for Python 3.10", "early releases supported 3.6+") is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

# Sentences, and the clauses of a sentence joined by semicolons (one fact each).
SENTENCE = re.compile(r"(?<=[.!?])\s+|;\s*|\n+")
# "Python 3.11 or newer", "Python 3.11+", "Python ≥ 3.11", "Python >=3.11", "Python 3.11 and up"
FLOOR = re.compile(
    r"\bPython\s*(?:≥|>=)\s*(3\.\d+)"
    r"|\bPython\s+(3\.\d+)\s*(?:\+|or (?:newer|later|above|higher)|and (?:newer|later|up|above))",
    re.IGNORECASE,
)
# A release number that is not a Python version ("Python 3.12", ">=3.12")
RELEASE = re.compile(r"(?<![\w.>=≥])(?<!Python )(\d+\.\d+(?:\.\d+)?)(?!\w|\.\d)")
NOW = re.compile(r"\b(?:current|currently|latest|newest|now|today)\b", re.IGNORECASE)
NEEDS = re.compile(r"\b(?:needs?|requires?|supports?)\b", re.IGNORECASE)
PAST = re.compile(
    r"\b(?:was|were|had|needed|required|supported|early|earlier|older|until|before|dropped|"
    r"raised|last release|first)\b",
    re.IGNORECASE,
)
LTS = re.compile(r"\bLTS\b|long-term", re.IGNORECASE)
DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Facts:
    """One framework's release facts, as prose would say them."""

    name: str
    latest_version: str
    latest_floor: str  # "3.11" from ">=3.11" ("" if not a plain floor)
    lts_line: str
    lts_version: str
    lts_floor: str

    @classmethod
    def of(cls, framework) -> Facts:
        return cls(
            name=framework.name,
            latest_version=framework.latest_version,
            latest_floor=floor_of(framework.latest_requires_python),
            lts_line=framework.lts_line,
            lts_version=framework.lts_version,
            lts_floor=floor_of(framework.lts_requires_python),
        )


def floor_of(requires_python: str) -> str:
    """ "3.11" for ">=3.11" (the form the index gives); "" for anything else."""
    match = re.fullmatch(r"\s*>=\s*(3\.\d+)(?:\.0)?\s*", requires_python or "")
    return match.group(1) if match else ""


def problems(text: str, facts: list[Facts], owner: Facts | None) -> list[tuple[str, str]]:
    """(sentence, why) for each sentence of text that says a release fact otherwise than the
    facts do. A sentence is about the framework it names (if it names one only), else about the
    text's owner (a framework's own text, or its rows')."""
    found = []
    for sentence in SENTENCE.split(text or ""):
        if not DIGIT.search(sentence):
            continue  # no version, no Python: nothing to check (most sentences; much faster)
        named = [f for f in facts if re.search(rf"\b{re.escape(f.name)}\b", sentence)]
        subject = named[0] if len(named) == 1 else (owner if not named else None)
        if subject is None or not subject.latest_version:
            continue
        why = floor_problem(sentence, subject) or release_problem(sentence, subject)
        if why:
            found.append((sentence.strip(), why))
    return found


def line_of(sentence: str, facts: Facts) -> str | None:
    """Which release line the sentence speaks of: "lts", "latest", or None (another line,
    e.g. an old release named as history)."""
    lines = {m.group(1) for m in RELEASE.finditer(sentence)}
    lts = facts.lts_line and (LTS.search(sentence) or facts.lts_line in lines)
    if lts:
        return "lts"
    if not lines:
        return "latest"
    latest_line = ".".join(facts.latest_version.split(".")[:2])
    if any(line == facts.latest_version or line == latest_line for line in lines):
        return "latest"
    return None


def floor_problem(sentence: str, facts: Facts) -> str:
    match = FLOOR.search(sentence)
    if not match or PAST.search(sentence):
        return ""
    if not (NOW.search(sentence) or NEEDS.search(sentence)):
        return ""
    said = match.group(1) or match.group(2)
    line = line_of(sentence, facts)
    if line == "lts":
        expected, what = facts.lts_floor, f"the {facts.lts_line} LTS release {facts.lts_version}"
    elif line == "latest":
        expected, what = facts.latest_floor, f"the latest release, {facts.latest_version}"
    else:
        return ""
    if expected and said != expected:
        return f"says Python {said} or newer; {what} needs Python {expected} or newer"
    return ""


def release_problem(sentence: str, facts: Facts) -> str:
    if not NOW.search(sentence) or PAST.search(sentence):
        return ""
    lts = bool(facts.lts_line and LTS.search(sentence))
    expected = facts.lts_version if lts else facts.latest_version
    if not expected:
        return ""
    for match in RELEASE.finditer(sentence):
        said = match.group(1)
        if said.count(".") < 2:
            continue  # a line ("5.2 LTS", "6.1"): too often history or another line to judge
        try:
            said_version, expected_version = Version(said), Version(expected)
        except InvalidVersion:
            continue
        if expected_version.major == 0:  # 0.x: every release is of one line
            same_line = said_version.major == 0
        else:
            same_line = said_version.release[:2] == expected_version.release[:2]
        if same_line and said_version != expected_version:
            kind = "newest LTS release" if lts else "latest release"
            return f"says {said}; the {kind} of {facts.name} is {expected}"
    return ""


class Owners:
    """Whose release facts a content object's text is about when it names no framework: the
    framework's own, or the framework its row belongs to (directly, or through a rating)."""

    def __init__(self) -> None:
        from comparisons.models import Framework, Rating

        self.facts = {framework.pk: Facts.of(framework) for framework in Framework.objects.all()}
        self.by_rating = dict(Rating.objects.values_list("pk", "framework_id"))

    def all(self) -> list[Facts]:
        return list(self.facts.values())

    @staticmethod
    def dated(obj) -> bool:
        """A correction says what was true on its date, and shows the date: not checked."""
        from comparisons.models import Correction

        return isinstance(obj, Correction)

    def of(self, obj) -> Facts | None:
        from comparisons.models import Framework

        if isinstance(obj, Framework):
            return self.facts.get(obj.pk)
        framework_id = getattr(obj, "framework_id", None)
        if framework_id is None and getattr(obj, "rating_id", None) is not None:
            framework_id = self.by_rating.get(obj.rating_id)
        return self.facts.get(framework_id) if framework_id is not None else None
