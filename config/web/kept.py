"""Values read from the database and kept in Django's cache (Redis when configured, which every worker reads;
the process's memory otherwise) until a row they were read from changes.

A `Kept` is one set of such values with a version: a token in the same cache, under which each value is kept.
Saving or deleting a row of one of its models (`until_changed`) sets a new token, so every worker reads the
values anew at once: when the change is made, for the request making it, and again when its transaction
commits, for the workers that read the old rows in between. (A value read inside a transaction that changed
its rows and was then rolled back stays kept until KEEP_SECONDS.) A writer in bulk, which sends no signals,
calls `forget_everything()` once it has written.

With the cache unreachable the values are read from the database, and after a failure this process leaves the
cache alone for PAUSE_AFTER_FAILURE seconds: a Redis that hangs would otherwise cost every call its socket
timeout, each kept value of a page and each row a save writes. The new versions it could not set are set when
the cache answers again; until then other workers may show values up to KEEP_SECONDS old.
"""

import hashlib
import logging
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Values of an old version are never read again; they go when this runs out.
KEEP_SECONDS = 600
PAUSE_AFTER_FAILURE = 10  # seconds


class Kept:
    every: list["Kept"] = []  # for forget_everything(), and the tests, each of which starts with nothing kept
    # This process's pause after the cache failed to answer (time.monotonic()), and the sets of values whose
    # new version it owes the cache from then.
    paused_until = 0.0
    owed: set["Kept"] = set()

    def __init__(self, name: str):
        self.name = name
        self.version_key = f"{name}:version"
        Kept.every.append(self)

    @classmethod
    def _cache_answers(cls) -> bool:
        """False during a pause; after one, first sets the versions owed from it."""
        if time.monotonic() < cls.paused_until:
            return False
        while cls.owed:
            kept = cls.owed.pop()
            try:
                cache.set(kept.version_key, uuid.uuid4().hex, timeout=None)
            except RedisError:
                cls._failed(kept)
                return False
        return True

    @classmethod
    def _failed(cls, owing: "Kept | None" = None) -> None:
        cls.paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        if owing is not None:
            cls.owed.add(owing)
        logger.warning(
            "The cache does not answer: kept values are read from the database for %s s.",
            PAUSE_AFTER_FAILURE,
            exc_info=True,
        )

    def version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.version_key)
        return version

    def value(self, key: str, read):
        """What `read()` returns, kept under `key` and the current version."""
        if not self._cache_answers():
            return read()
        try:
            versioned = f"{self.name}:{self.version()}:{hashlib.sha256(key.encode()).hexdigest()}"
            kept = cache.get(versioned)
        except RedisError:
            self._failed()
            return read()
        if kept is None:
            kept = read()
            try:
                cache.set(versioned, kept, KEEP_SECONDS)
            except RedisError:
                self._failed()
        return kept

    def new_version(self) -> None:
        if not self._cache_answers():
            Kept.owed.add(self)
            return
        try:
            cache.set(self.version_key, uuid.uuid4().hex, timeout=None)
        except RedisError:
            self._failed(owing=self)

    def forget(self, update_fields=None, **kwargs) -> None:
        """Start a new version: the receiver of every change to the rows, and called by a writer in bulk."""
        # A login stamps the user's last_login, which no kept value shows: every login would start a version.
        if update_fields is not None and set(update_fields) == {"last_login"}:
            return
        self.new_version()
        transaction.on_commit(self.new_version)

    def until_changed(self, *models) -> None:
        """Start a new version whenever a row of one of `models` is saved or deleted. Call it when the apps
        are ready (an AppConfig.ready or a module they import), so every process that writes has it."""
        for model in models:
            uid = f"{self.name}-{model._meta.label}"
            post_save.connect(self.forget, sender=model, dispatch_uid=f"kept-save-{uid}", weak=False)
            post_delete.connect(self.forget, sender=model, dispatch_uid=f"kept-delete-{uid}", weak=False)


def forget_everything() -> None:
    """Start a new version of every set of kept values: for a writer in bulk (which sends no signals) of rows
    that other apps may keep values from."""
    for kept in Kept.every:
        kept.forget()
