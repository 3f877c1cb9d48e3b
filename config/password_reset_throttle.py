"""How often «Glemt adgangskode?» sends a link: per typed address and per client, counted in Django's cache
(Redis when configured, so every worker counts alike).

An address gets at most PER_ADDRESS_LIMIT links an hour, whoever asks (no one fills a colleague's mailbox),
and a client asks at most PER_CLIENT_LIMIT times an hour, for any addresses (no one mails the whole staff). A
request beyond either gets the same page as any other and queues nothing: the page never tells whether an
address was limited, or known. The client is the one login throttling sees (config.login_throttle).
"""

import hashlib
import logging

from django.core.cache import cache
from redis.exceptions import RedisError

from config.login_throttle import client_address

logger = logging.getLogger(__name__)

PER_ADDRESS_LIMIT = 3
PER_CLIENT_LIMIT = 20
WINDOW_SECONDS = 60 * 60
# The keys' namespace in the cache.
KEY_PREFIX = "password-reset"


def _count(kind: str, value: str) -> int:
    """One more request for `value` in its window (which starts at its first request), and how many so far."""
    key = f"{KEY_PREFIX}:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def admits(request, address: str) -> bool:
    """Whether this request may send a link for `address`; counts it. With the cache unreachable every request
    is admitted (the links still go out, unlimited, as before the cache was down)."""
    try:
        if _count("client", client_address(request)) > PER_CLIENT_LIMIT:
            return False
        # Upper case, as the task finds the users (email__iexact is UPPER() on PostgreSQL): "admın" with a
        # dotless i reaches admin@…, so it must count as that address.
        return _count("address", address.strip().upper()) <= PER_ADDRESS_LIMIT
    except RedisError:
        logger.warning("The cache does not answer; password resets are not limited.", exc_info=True)
        return True
