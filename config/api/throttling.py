import logging
import time

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

SECONDS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}


class ApiRateThrottle(BaseThrottle):
    """Requests per user (by token or login) per clock window of DJANGO_API_THROTTLE_RATE ("1000/hour": at
    most 1000 in each clock hour), counted in the shared cache (Redis when configured) with one atomic
    increment per request, so requests that arrive together in several web processes are all counted. The
    rate is read when asked, so a test can change it."""

    def allow_request(self, request, view):
        allowed, per = settings.API_THROTTLE_RATE.split("/")
        seconds = SECONDS[per]
        now = time.time()
        window = int(now // seconds)
        self.retry_after = (window + 1) * seconds - now
        key = f"api-throttle:{request.user.pk}:{per}:{window}"
        try:
            cache.add(key, 0, timeout=seconds + 1)
            try:
                count = cache.incr(key)
            except ValueError:  # the window's key expired between add and incr
                cache.add(key, 1, timeout=seconds + 1)
                count = 1
        except RedisError:
            # The limit shares the load fairly; the token still decides what is read. Without the counts the
            # API answers unlimited rather than not at all.
            logger.warning("The cache does not answer; API requests are not counted.", exc_info=True)
            return True
        return count <= int(allowed)

    def wait(self):
        return self.retry_after
