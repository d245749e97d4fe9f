"""How the site is started and deployed, as the Makefile and README say it (no server here:
tests/servers/ starts them)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gunicorn_commands(text: str) -> list[str]:
    """Each gunicorn command line in a Makefile or README, its continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line for line in joined.splitlines() if re.search(r"/gunicorn config\.wsgi", line)]


def test_every_gunicorn_the_project_documents_opens_no_control_socket():
    """A control socket at one path per user would be shared by every instance
    (tests/servers/test_servers.py shows it)."""
    commands = [
        *gunicorn_commands((ROOT / "Makefile").read_text()),
        *gunicorn_commands((ROOT / "README.md").read_text()),
    ]
    assert len(commands) >= 2  # make run's, the deploy recipe's
    for command in commands:
        assert "--no-control-socket" in command, command
