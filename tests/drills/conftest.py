"""The drills' machinery: a redis-server of their own, Celery worker subprocesses, a plan with a budget.

Everything started here is stopped when the test ends, also when it fails.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import kombu.pools
import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection, transaction

from config.celery import app as celery_app
from finansiering import actions as budget_actions
from finansiering.models import Omkostningstype
from helhedsplaner.models import Pakke
from helhedsplaner.packs import documents
from indsatser.models import Finansieringsperiode
from tests.factories import AfdelingFactory, HelhedsplanFactory

# Each pytest-xdist process tries its own share, so none takes a port another has stopped for a moment.
XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
XDIST_COUNT = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
REDIS_PORTS = range(6390 + XDIST_INDEX, 6400, XDIST_COUNT)
# Generous for a busy CI machine, but bounded: a broken drill fails instead of hanging.
WAIT_SECONDS = 90
# The workers' visibility timeout: a killed worker's task is handed on after seconds instead of an hour.
VISIBILITY_TIMEOUT = 5

PLAN_TITLE = "Helhedsplan for Øvelsesparken"
BUDGET_TOTAL = "1.234.567,89 kr."


def wait_for(condition, what: str, explain=lambda: ""):
    """Poll until `condition()` is true and return its value; fail with `explain()` (e.g. a worker log)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"Waited {WAIT_SECONDS} s for {what}.\n{explain()}")


class PrivateRedis:
    """A redis-server only this test uses, so it can be stopped and started again on the same port."""

    def __init__(self, directory):
        self.directory = directory
        self.port = None
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        for port in [self.port] if self.port else REDIS_PORTS:
            process = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
                + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if self._serves(process, port):
                self.process, self.port = process, port
                return
        raise AssertionError(f"No free port for a redis-server of our own in {list(REDIS_PORTS)}.")

    @staticmethod
    def _serves(process, port) -> bool:
        """Whether it is this process that answers on the port (another server may have it already)."""
        client = redis.Redis(port=port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if client.info("server")["process_id"] == process.pid:
                    return True
            except redis.ConnectionError:
                pass
            time.sleep(0.05)
        process.kill()
        process.wait()
        return False

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    """A running redis-server of our own, which this test process also sends its tasks to."""
    server = PrivateRedis(tmp_path)
    server.start()
    previous = celery_app.conf.broker_url
    _send_tasks_to(server.url)
    try:
        yield server
    finally:
        _send_tasks_to(previous)
        server.stop()


def _send_tasks_to(url):
    # Celery keeps its connection pools, made for the broker URL it had then, in kombu's registry and on the
    # app; both are emptied so the next task sent opens new connections to `url`.
    kombu.pools.reset()
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def pack_storage(settings, tmp_path):
    """Where this test process and its workers keep the documents."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


class DrillProcess:
    """A command of the app run from its folder in a process group of its own, its output in a log file."""

    def __init__(self, command, env, log_path):
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=django_settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class Worker(DrillProcess):
    """`celery -A config worker` with the test database and our Redis."""

    def __init__(self, log_path, env, include):
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO"]
        command += ["--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--hostname", f"drill-{uuid.uuid4().hex[:8]}@%h"]
        if include:
            command += ["--include", include]
        super().__init__(command, env, log_path)

    def wait_until_ready(self):
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"The worker stopped as it started:\n{self.log()}")
            return " ready." in self.log()

        wait_for(ready, "the worker to start", self.log)

    def kill(self):
        """SIGKILL to the whole group, pool processes included: as when its machine or container dies."""
        with contextlib.suppress(ProcessLookupError):  # the whole group has gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def the_test_database_url() -> str:
    """DATABASE_URL pointing at the test database, for the processes a drill starts."""
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


@pytest.fixture
def start_worker(transactional_db, private_redis, pack_storage, tmp_path):
    """Start workers on the test database (they see only committed rows, hence transactional_db)."""
    env = {
        **os.environ,
        "DATABASE_URL": the_test_database_url(),
        "REDIS_URL": private_redis.url,
        "DJANGO_PRIVATE_STORAGE_ROOT": str(pack_storage),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    workers = []

    def start(include=None, **extra_env) -> Worker:
        worker = Worker(tmp_path / f"worker-{len(workers) + 1}.log", {**env, **extra_env}, include)
        workers.append(worker)
        worker.wait_until_ready()
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.kill()


def wait_for_pack(pakke_id, status, workers=()) -> Pakke:
    def reached():
        pakke = Pakke.objects.get(pk=pakke_id)
        return pakke if pakke.status == status else None

    def explain():
        pakke = Pakke.objects.get(pk=pakke_id)
        logs = "\n".join(worker.log() for worker in workers)
        return f"The pack is {pakke.status} ({pakke.progress} %) {pakke.error}\n{logs}"

    return wait_for(reached, f"the pack to be {status}", explain)


def order(plan, user, pakketype="helhedsplan") -> Pakke:
    """As the plan page orders: in a transaction, so the task is sent when it commits."""
    with transaction.atomic():
        return documents.bestil_pakke(plan, pakketype, user).pakke


def killed_mid_render(start_worker, plan, user) -> tuple[int, Worker, float]:
    """Order a pack from a worker that waits instead of rendering, and kill that worker while the job is being
    made: (the job's id, the dead worker, when the task was delivered to it)."""
    worker = start_worker(include="tests.drills.paused_render")
    pakke_id = order(plan, user).pk
    wait_for_pack(pakke_id, Pakke.Status.RUNNING, [worker])
    delivered = time.monotonic()
    worker.kill()
    return pakke_id, worker, delivered


def stored_pdfs(pack_storage, plan) -> list[str]:
    """The names of the PDF files kept for the plan's documents."""
    return [path.name for path in (pack_storage / "pakker" / str(plan.pk)).iterdir()]


@pytest.fixture
def budget_plan(own_afdeling, medarbejder):
    """A plan whose budget adds up to BUDGET_TOTAL."""
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    plan = HelhedsplanFactory(
        indsats__titel=PLAN_TITLE,
        indsats__afdelinger=[own_afdeling, AfdelingFactory(navn="Anden Afdeling", lejemaal=300)],
        indsats__ansvarlig=medarbejder,
        indsats__startdato=date(2025, 1, 1),
        indsats__slutdato=date(2026, 12, 31),
        indsats__periode=periode,
    )
    omraade = periode.indsatsomraader.order_by("sortering").first()
    typer = {t.kode: t for t in Omkostningstype.objects.all()}
    version = budget_actions.create_version(plan.indsats, "praekvalifikation", acting_user=medarbejder)
    budget_actions.save_budget_line(
        version, 2025, omraade, typer["loen"], Decimal("1000000.00"), "Projektleder", acting_user=medarbejder
    )
    budget_actions.save_budget_line(
        version, 2026, omraade, typer["aktiviteter"], Decimal("234567.89"), acting_user=medarbejder
    )
    return plan
