"""What the server tests stand on: databases of their own, dropped or emptied afterwards.

CI once failed at teardown when an autovacuum worker was in a test's PostgreSQL database:
WITH (FORCE) may not end a worker that has no role. The tests of the drop play PostgreSQL's
answers; the drop itself runs against a real server in every PostgreSQL test's teardown.
And once when a test on the other worker emptied the Redis database a load test was counting.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.servers.conftest import REDIS_USES, drop_database, redis_database

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


def test_each_worker_keeps_each_use_in_a_redis_database_of_its_own():
    workers = [f"gw{n}" for n in range(4)]
    numbers = [redis_database(use, worker, 4) for worker in workers for use in REDIS_USES]
    assert len(set(numbers)) == len(numbers)


def test_the_server_tests_redis_databases_are_apart_from_the_unit_suites():
    """The unit suite's workers take CACHE_URL's database (1 in CI) and up: gw3 of 4 takes 4."""
    unit_suites = set(range(1, 5))
    for worker in [f"gw{n}" for n in range(4)]:
        for use in REDIS_USES:
            assert redis_database(use, worker, 4) not in unit_suites
            assert 0 <= redis_database(use, worker, 4) <= 15


def test_more_workers_than_redis_has_databases_for_stop_the_run():
    """Six workers: the unit suite's take 1 to 6, and gw4 would be given 6 for the proxy."""
    assert redis_database("servers", "gw4", 6) == 7
    with pytest.raises(pytest.exit.Exception, match="gw4 of 6: no Redis database left for proxy"):
        redis_database("proxy", "gw4", 6)
