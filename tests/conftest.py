"""Shared fixtures. The test database is migrated and seeded once per session (per xdist
worker); each test runs in a transaction that is rolled back, so every test starts from the
database as `make run` leaves it."""

import copy
import gc
import os
import time
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's set-up (create and migrate the test database), then the seed, once."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        # Close the connection that seeded: the browser tests' Playwright runs the tests in
        # another context (a greenlet), where Django opens a connection of its own, and an
        # idle one left behind here would stop PostgreSQL dropping the test database.
        connections.close_all()
    # What is alive now (Django, the apps, the URLs and templates, pytest) lives to the end:
    # keep it out of the garbage collector's full passes, which otherwise walk it again and
    # again (5-10% of the time of the framework's admin page, measured).
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def _widget_templates_not_recorded(django_test_environment):
    """The test client records every template a response renders, with a copy of its context
    (response.templates, response.context). A form's widgets, labels and error lists are
    templates too, rendered by the form renderer's own engine: the framework's admin page
    renders over 3,000, and recording them took a third of its time. Tests read what the
    page's own templates were given (response.context["adminform"], ...), never a widget's
    context, so only those are recorded."""
    from django.forms.renderers import get_default_renderer
    from django.template.base import Template

    recorded = Template._render  # Django's instrumented_test_render
    widgets = get_default_renderer().engine.engine  # the form renderer's Engine

    def render(self, context):
        if self.engine is widgets:
            return self.nodelist.render(context)
        return recorded(self, context)

    Template._render = render
    yield
    Template._render = recorded


PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run without collectstatic: serve static names as they are, not from a manifest."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PLAIN_STATIC}


@pytest.fixture(scope="session", autouse=True)
def _a_static_root_of_its_own(tmp_path_factory):
    """WhiteNoise scans STATIC_ROOT when a test's client first loads the middleware, while the
    server tests (tests/servers, on another worker) run collectstatic into var/staticfiles,
    which deletes and rewrites hashed copies: a scan that meets a file just deleted fails
    with FileNotFoundError (CI, once). The tests' own processes collect nothing and serve
    static files by their plain names, so they scan an empty folder of their own."""
    from django.test.utils import override_settings

    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("staticfiles")):
        yield


@pytest.fixture(scope="session", autouse=True)
def _a_cache_per_worker():
    """Each xdist worker has a page cache of its own: the default file cache (var/cache),
    which every process on the machine shares, is replaced by local memory; with CACHE_URL
    on Redis, each worker uses a Redis database of its own.

    A cache emptied (Django's RedisCache.clear() is FLUSHDB) or a generation started by a
    test on one worker would otherwise change what a test on another sees.
    """
    from django.conf import settings
    from django.test.utils import override_settings

    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1... under xdist
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("FileBasedCache"):
        local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        with override_settings(CACHES={**settings.CACHES, "default": local}):
            yield
        return
    if not cache["BACKEND"].endswith("RedisCache") or not worker_id.startswith("gw"):
        yield
        return
    location = urlsplit(cache["LOCATION"])
    base = int(location.path.strip("/") or 0)
    database = base + int(worker_id[2:])
    if database > 15:
        pytest.exit(f"CACHE_URL: Redis database {database} for worker {worker_id} is past 15")
    own = {**cache, "LOCATION": location._replace(path=f"/{database}").geturl()}
    with override_settings(CACHES={**settings.CACHES, "default": own}):
        yield


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache, so a new generation of pages."""
    from django.core.cache import cache

    import core.cache

    cache.clear()
    core.cache._cache_down_until = 0.0
    core.cache._last_generation = None
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _page_cache_header(settings):
    """Tests read X-Page-Cache (hit, miss, stale) to see what the cache did: turned on, as an
    operator would to check it (tests/test_cache_rules.py checks it is off by default)."""
    settings.PAGE_CACHE_HEADER = True


@pytest.fixture(autouse=True)
def _never_the_package_index(monkeypatch):
    """No test reads the real package index: the refresh's default index is a port nothing
    listens on, so a test that forgets its local index (tests/fake_index.py) fails at once,
    online or not."""
    from comparisons import refresh

    monkeypatch.setattr(refresh, "PYPI", "http://127.0.0.1:9/pypi")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Passwords in tests need not resist cracking: hash them quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    """The database as `make run` leaves it: the committed fixtures, seeded once per session."""


@pytest.fixture
def empty_content(db):
    """No content at all, as before the first seed (deleted inside the test's transaction)."""
    from core.cache import one_content_change
    from core.content import content_models

    with one_content_change():  # not one per row deleted
        for model in reversed(content_models()):  # dependants first
            model._default_manager.all().delete()


# --- accounts: staff and editors ---------------------------------------------------------------

EDITOR_PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def staff_user(django_user_model):
    """A staff account with no group and no permission: it may log in, see previews, no more."""
    return django_user_model.objects.create_user(
        "stella", password="stella-staff-passphrase-17", is_staff=True
    )


@pytest.fixture
def client():
    """A reader's client (pytest-django's), posting forms as a browser does."""
    from tests.admin_forms import BrowserClient

    return BrowserClient()


@pytest.fixture
def admin_client(admin_user):
    """A superuser's client (pytest-django's), posting forms as a browser does."""
    from tests.admin_forms import BrowserClient

    client = BrowserClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def staff_client(staff_user):
    """A client of its own, logged in as staff (the `client` fixture stays a reader's)."""
    from tests.admin_forms import BrowserClient

    client = BrowserClient()
    client.force_login(staff_user)
    return client


@pytest.fixture
def editor(django_user_model):
    """An editor as `createeditor` makes one: staff, in the Editors group, not a superuser;
    username "edna", password EDITOR_PASSWORD."""
    from django.contrib.auth.models import Group

    from core.roles import EDITORS

    user = django_user_model.objects.create_user(
        "edna", email="edna@example.com", password=EDITOR_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(editor):
    """A client of its own, logged in as the editor (the `client` fixture stays a reader's)."""
    from tests.admin_forms import BrowserClient

    client = BrowserClient()
    client.force_login(editor)
    return client


# --- the framework's change form as an editor opens it on the seeded database


@pytest.fixture(scope="session")
def _django_form_when_seeded(django_db_setup, django_db_blocker) -> dict:
    """The values a browser would submit from the Django framework's change form, opened by
    an editor on the seeded database: once per session (per xdist worker), in a transaction
    that is rolled back. It is the biggest page of the admin (a third of a second to render,
    twice that under coverage), and many tests start by opening it: they get a copy of this
    one (``opened_django_form``), every test starting from the same seeded database."""
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone
    from reversion.models import Revision

    from comparisons.models import Framework
    from core.roles import EDITORS
    from tests.admin_forms import change_url, read_form

    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(STORAGES={**settings.STORAGES, "staticfiles": PLAIN_STATIC}),
    ):
        # The form says in whole seconds when it was opened, and a save refused as stale names
        # the newest revision since: the seed's must be older, as it is for a form opened in
        # a test. At most a second's wait, once.
        seeded_at = Revision.objects.latest("date_created").date_created.timestamp()
        while int(timezone.now().timestamp()) <= seeded_at:
            time.sleep(0.05)
        opener = User.objects.create(username="opener", is_staff=True)
        opener.groups.add(Group.objects.get(name=EDITORS))
        client = Client()
        client.force_login(opener)
        response = client.get(change_url(Framework.objects.get(slug="django")))
        assert response.status_code == 200
        data = read_form(response, "framework_form")
        transaction.set_rollback(True)
    return data


@pytest.fixture
def opened_django_form(_django_form_when_seeded):
    """A function that gives the Django framework's change form as an editor opening it at the
    start of the test sees it (a copy of ``_django_form_when_seeded``'s): for a test that
    has changed nothing yet; after a change, open the form with a GET."""
    return lambda: copy.deepcopy(_django_form_when_seeded)
