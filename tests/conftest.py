import fcntl
import hashlib
import os
import uuid
from importlib import metadata
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from config import password_reset_throttle
from config.web import jobs
from config.web.kept import Kept
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, UserFactory
from tests.logins import log_in
from tests.mailserver import LoopbackSMTP
from tests.objectstore import Bucket, LoopbackS3
from tests.oidc import Provider
from tests.oidc import configure as configure_sso

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}
ROOT = Path(__file__).resolve().parents[1]
# Folders whose Python files no migrated database depends on (code_digest).
NOT_CODE = {"tests", "node_modules", "var", "static", "templates"}

# On CI the property and fuzzing tests draw their examples from a fixed seed, so a failure can be run again.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config):
    """On CI (the CI variable set, as .ci/run does) the suite runs against PostgreSQL and Redis or not at all:
    without them the tests that need them would be skipped and the run would pass without trying them."""
    if not os.environ.get("CI"):
        return
    if connection.vendor != "postgresql":
        raise pytest.UsageError(f"CI runs against PostgreSQL; DATABASE_URL gives {connection.vendor}")
    if not django_settings.REDIS_URL:
        raise pytest.UsageError("CI runs against Redis; REDIS_URL is not set")
    try:
        redis.Redis.from_url(django_settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise pytest.UsageError(
            f"CI runs against Redis; {django_settings.REDIS_URL} does not answer: {error}"
        ) from None


def pytest_collection_modifyitems(items):
    """Mark the tests that run in real transactions. Their teardown empties every table, including the
    reference data migrations seeded, so `make test` runs them in a second pass, after all other tests.
    Each of them restores that reference data first (serialized rollback); a transactional test without it
    would also let Django re-create content types on flush, which collide with the next restore."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (marker and marker.kwargs.get("transaction")) or TRANSACTIONAL_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.transactional)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


def code_digest() -> str:
    """A digest of the application's Python code and the installed packages' versions: what a migrated
    database holds (the migrations, and the groups, permissions and reference data written after them)."""
    digest = hashlib.sha256()
    folders = [
        p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in NOT_CODE
    ]
    for path in sorted(path for folder in folders for path in folder.rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for distribution in sorted(metadata.distributions(), key=lambda d: d.metadata["Name"].lower()):
        digest.update(f"{distribution.metadata['Name']}=={distribution.version}".encode())
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings, tmp_path_factory
):
    """With parallel test processes on PostgreSQL, the first to need a database migrates a template and each
    process copies it (CREATE DATABASE … TEMPLATE): migrating costs half a minute of CPU, which every
    process would otherwise spend at the same time, and a copy a second. The template is named after the
    code it was migrated with (code_digest), so the second pass of `make test` and any later run of the same
    code copy it without migrating again; the one a change of the code replaces is dropped."""
    from django.test.utils import setup_databases, teardown_databases

    db = connections[DEFAULT_DB_ALIAS]
    serialize = any(
        m.kwargs.get("serialized_rollback")
        for i in request.session.items
        for m in i.iter_markers("django_db")
    )
    verbosity = request.config.option.verbose
    processes = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", 0))
    if processes < 2 or db.vendor != "postgresql":
        with django_db_blocker.unblock():
            config = setup_databases(
                verbosity,
                keepdb=request.config.getvalue("reuse_db") and not request.config.getvalue("create_db"),
                interactive=False,
                aliases=[DEFAULT_DB_ALIAS],
                serialized_aliases=[DEFAULT_DB_ALIAS] * serialize,
            )
        yield
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity)
        return

    old_name = db.settings_dict["NAME"]
    own_name = db.creation._get_test_db_name()  # with this process's suffix
    templates = f"{TEST_DATABASE_PREFIX}{old_name}_template_"
    template = f"{templates}{code_digest()}"
    # The parent of a test process's temporary folder is the run's, which all its test processes share.
    shared = tmp_path_factory.getbasetemp().parent
    with django_db_blocker.unblock(), open(shared / "db-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with db._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{templates}%"])
            existing = {name for (name,) in cursor.fetchall()}
            for earlier in existing - {template}:
                cursor.execute(f'DROP DATABASE "{earlier}"')
        if template not in existing:
            # Migrated under another name and renamed when done: a run stopped half-way leaves no template.
            db.settings_dict["TEST"]["NAME"] = f"{template}_unfinished"
            db.creation.create_test_db(verbosity, autoclobber=True, serialize=False)
            db.settings_dict["TEST"]["NAME"] = own_name
            db.close()
            with db._nodb_cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{template}_unfinished" RENAME TO "{template}"')
        with db._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{own_name}"')
            cursor.execute(f'CREATE DATABASE "{own_name}" TEMPLATE "{template}"')
        django_settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"] = db.settings_dict["NAME"] = own_name
        db.close()
        if serialize:
            db._test_serialized_contents = db.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        db.creation.destroy_test_db(old_name, verbosity)


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_test_process(worker_id):
    """Parallel test processes share Redis as web workers do, and one would replace the version of the kept
    lists (screening.options) in the middle of another's test; each keeps its own, as each has its own
    database. A run of its own too: the next run (the browser tests after the rest, the next CI run) makes
    its database anew, and lists kept from the last one would offer choices it does not have."""
    default = {**django_settings.CACHES["default"], "KEY_PREFIX": f"test-{worker_id}-{uuid.uuid4().hex[:12]}"}
    with override_settings(CACHES={"default": default}):
        yield


@pytest.fixture(autouse=True)
def nothing_kept_from_the_last_test():
    """A value kept in the cache (config.web.kept) inside a test's transaction outlives its rollback, under a
    version the next test would read too: each test starts with new versions, and with the cache answering."""
    Kept.paused_until = 0.0
    Kept.owed.clear()
    for kept in Kept.every:
        kept.new_version()


@pytest.fixture(autouse=True)
def password_resets_counted_per_test(monkeypatch):
    """The password-reset limits count in the cache, which outlives a test: each test counts afresh (its own
    keys, which expire after the limits' hour)."""
    monkeypatch.setattr(password_reset_throttle, "KEY_PREFIX", f"password-reset-{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users' passwords need not resist attack; the production hasher costs a third of a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tasks_run_here(settings):
    """Celery tasks run in this process when they are sent, as they do without REDIS_URL (the tests have one
    set, and no worker reads its queue). Celery reads the Django setting whenever it sends a task."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def sent_jobs(monkeypatch):
    """The background jobs handed to the queue, as (model, id), kept here instead (no worker reads the
    tests' queue); each is marked sent, as sending it would."""
    sent = []

    def record(model, job_id):
        sent.append((model, job_id))
        model.objects.filter(pk=job_id).update(sent=timezone.now())
        return True

    monkeypatch.setattr(jobs, "send", record)
    return sent


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on the loopback that the app sends to; it refuses (554) until told to accept."""
    server = LoopbackSMTP()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID provider on the loopback (tests/oidc.py), one per test process."""
    provider = Provider()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def sso_provider(settings, oidc_provider):
    """Single sign-on configured with the test provider."""
    configure_sso(settings, oidc_provider)
    return oidc_provider


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """An S3 API server on the loopback (moto's server mode), started once for the tests that ask for it."""
    server = LoopbackS3(tmp_path_factory.mktemp("s3") / "moto.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def object_storage(settings, s3_server) -> Bucket:
    """Documents, packs and exports are kept in a new, empty bucket on the loopback S3 server."""
    bucket = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage()}
    return bucket


@pytest.fixture
def medarbejder(db):
    return UserFactory(username="t-medarbejder", role="medarbejder")


@pytest.fixture
def sekretariat(db):
    return UserFactory(username="t-sekretariat", role="sekretariat")


@pytest.fixture
def administrator(db):
    return UserFactory(username="t-admin", role="administrator")


@pytest.fixture
def own_afdeling(db):
    """The afdeling whose board the `bestyrelse` fixture sits on."""
    return AfdelingFactory(navn="Egen Afdeling")


@pytest.fixture
def foreign_afdeling(db):
    """An afdeling the `bestyrelse` fixture must never see."""
    return AfdelingFactory(navn="Fremmed Afdeling")


@pytest.fixture
def bestyrelse(db, own_afdeling):
    user = UserFactory(username="t-bestyrelse", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=user, afdeling=own_afdeling)
    return user


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client (a client of its own), logged in with the second factor given, as every
    test login is."""
    return log_in(Client(), admin_user)


@pytest.fixture
def client_as(client):
    """Log the test client in as the given user, second factor given (force_login: django-axes needs a request
    for login())."""

    def login(user):
        log_in(client, user)
        return client

    return login
