""" "Start with X": what a reader who chose a framework does first.

The install command is made from the stored release facts (comparisons.refresh keeps them
current), never typed into prose: each line the site shows (the latest release's, and the
long-term support line where there is one) with the Pythons it installs on. A line's Pythons
run from its Requires-Python floor up to the floor of a newer line, whose own Pythons start
there: Django 5.2 LTS on Python 3.10 and 3.11, Django 6.1 from 3.12. A reader who says which
Python they have gets the one line that fits it.

The tutorial, the first steps and what to pip install (a package's extras) are the editors'
(Framework.install_as, tutorial_*, first_steps); the sample is the site's own on /code/.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from comparisons.models import Framework
from comparisons.releases import release_line

# The Pythons a reader may say they have: from the oldest floor the facts name to this many
# minor versions past the newest floor (3.12 → 3.14), so the choice moves with the facts.
PYTHONS_PAST_NEWEST_FLOOR = 2


@dataclass(frozen=True)
class Install:
    """One line, the command that installs it, and the Pythons it is for."""

    name: str  # "Django", "fastapi[standard]"
    line: str  # "5.2"
    newest: str  # "5.2.20"
    lts: bool
    floor: Version | None  # its Requires-Python floor (None: not stated)
    below: Version | None  # the floor of a newer line shown beside it: its Pythons end there

    @property
    def command(self) -> str:
        return f'python -m pip install "{self.name}=={self.line}.*"'

    @property
    def pythons(self) -> str:
        """ "Python 3.10 or 3.11", "Python 3.12 or newer", "any Python 3"."""
        if self.floor is None:
            return "any Python 3"
        if self.below is None:
            return f"Python {_minor(self.floor)} or newer"
        last = Version(f"{self.below.major}.{self.below.minor - 1}")
        if last <= self.floor:
            return f"Python {_minor(self.floor)}"
        between = self.below.minor - self.floor.minor
        joiner = " or " if between == 2 else "\N{EN DASH}"
        return f"Python {_minor(self.floor)}{joiner}{_minor(last)}"

    def fits(self, python: Version) -> bool:
        return (self.floor is None or python >= self.floor) and (
            self.below is None or python < self.below
        )


@dataclass
class StartWith:
    framework: Framework
    installs: list[Install]  # every line shown, newest first; or the one for the reader's Python
    python: str = ""  # the reader's Python, if they said
    too_old: str = ""  # the oldest Python any line needs, when the reader's is older still
    sample_url: str = ""
    steps: list[str] = field(default_factory=list)

    @property
    def tutorial(self) -> tuple[str, str] | None:
        f = self.framework
        return (
            (f.tutorial_title or f"{f.name}'s tutorial", f.tutorial_url) if f.tutorial_url else None
        )


def _minor(version: Version) -> str:
    return f"{version.major}.{version.minor}"


def floor_of(requires_python: str) -> Version | None:
    """The lowest Python a Requires-Python allows (">=3.10" → 3.10), if it says one."""
    try:
        specs = SpecifierSet(requires_python or "")
    except InvalidSpecifier:
        return None
    floors = []
    for spec in specs:
        if spec.operator in (">=", ">", "~=", "=="):
            try:
                floors.append(Version(spec.version.rstrip(".*")))
            except InvalidVersion:
                continue
    if not floors:
        return None
    low = max(floors)
    return Version(f"{low.major}.{low.minor}")


def installs(framework: Framework) -> list[Install]:
    """The lines a reader may install, newest first, each with the Pythons it is for."""
    f = framework
    name = f.install_as or f.package
    if not name:
        return []
    found: list[tuple[str, str, bool, Version | None]] = []
    if f.latest_version:
        line = release_line(f.latest_version)
        found.append((line, f.latest_version, bool(f.lts_version) and f.lts_line == line,
                      floor_of(f.latest_requires_python)))  # fmt: skip
    if f.lts_version and f.lts_line and all(line != f.lts_line for line, *_ in found):
        found.append((f.lts_line, f.lts_version, True, floor_of(f.lts_requires_python)))
    shown: list[Install] = []
    below: Version | None = None
    for line, newest, lts, floor in found:  # newest line first
        if below is not None and floor is not None and floor >= below:
            continue  # an older line that needs as new a Python as a newer one: no reason to
        shown.append(Install(name, line, newest, lts, floor, below))
        if floor is not None:
            below = floor
        else:
            break  # a line for any Python: nothing older is needed
    return shown


def start_with(framework: Framework, python: str = "") -> StartWith:
    """What to install (for the reader's Python, if given: "3.11"), read and do first."""
    lines = installs(framework)
    start = StartWith(framework, lines, python=python)
    if python:
        wanted = Version(python)
        fitting = [line for line in lines if line.fits(wanted)]
        start.installs = fitting[:1]
        floors = [line.floor for line in lines if line.floor is not None]
        if not fitting and floors:
            start.too_old = _minor(min(floors))
    try:
        if framework.sample_app is not None:
            start.sample_url = f"{reverse('codesamples:index')}#sample-{framework.slug}"
    except ObjectDoesNotExist:
        pass
    return start


def python_choices(frameworks: list[Framework]) -> list[str]:
    """The Pythons a reader may say they have, oldest first: "3.9" … "3.14"."""
    floors = [
        floor
        for f in frameworks
        for floor in (floor_of(f.latest_requires_python), floor_of(f.lts_requires_python))
        if floor is not None and floor.major == 3
    ]
    if not floors:
        return []
    low, high = min(floors).minor, max(floors).minor + PYTHONS_PAST_NEWEST_FLOOR
    return [f"3.{minor}" for minor in range(low, high + 1)]
