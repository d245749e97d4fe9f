"""A test's PostgreSQL database is dropped whatever is still connected to it.

CI once failed at teardown when an autovacuum worker was in the database: WITH (FORCE) may not
end a worker that has no role. These tests play PostgreSQL's answers to the drop; the drop
itself runs against a real server in every PostgreSQL test's teardown.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.servers.conftest import drop_database

FORCE = 'DROP DATABASE IF EXISTS "fg_x" WITH (FORCE)'
PLAIN = 'DROP DATABASE IF EXISTS "fg_x"'
AUTOVACUUM = psycopg.errors.InsufficientPrivilege(
    "must be a member of the role whose process is being terminated"
)
IN_USE = psycopg.errors.ObjectInUse("database is being accessed by other users")


class Server:
    """Answers each statement with the next of ``answers``: an error to raise, or None."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.statements: list[str] = []

    def execute(self, statement: str) -> None:
        self.statements.append(statement)
        answer = self.answers.pop(0)
        if answer is not None:
            raise answer


def test_a_database_with_sessions_left_open_is_dropped_with_force():
    server = Server(None)
    drop_database(server, "fg_x", pause=0)
    assert server.statements == [FORCE]


def test_a_database_autovacuum_is_in_is_dropped_without_force():
    server = Server(AUTOVACUUM, None)
    drop_database(server, "fg_x", pause=0)
    assert server.statements == [FORCE, PLAIN]


def test_the_drop_is_tried_again_until_autovacuum_and_the_sessions_are_gone():
    server = Server(AUTOVACUUM, IN_USE, AUTOVACUUM, IN_USE, None)
    drop_database(server, "fg_x", pause=0)
    assert server.statements == [FORCE, PLAIN, FORCE, PLAIN, FORCE]


def test_a_database_that_cannot_be_dropped_says_so_after_its_tries():
    server = Server(*[AUTOVACUUM, IN_USE] * 3)
    with pytest.raises(RuntimeError, match="fg_x could not be dropped in 3 tries"):
        drop_database(server, "fg_x", tries=3, pause=0)
    assert len(server.statements) == 6


def test_any_other_error_of_the_drop_is_not_hidden():
    server = Server(psycopg.errors.SyntaxError("bad"))
    with pytest.raises(psycopg.errors.SyntaxError):
        drop_database(server, "fg_x", pause=0)
