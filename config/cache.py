"""Django's Redis cache with one Redis client per connection pool, kept for the life of the process.

Django's backend builds a new `redis.Redis` for every cache operation, and redis-py sets up each one's table
of reply handlers (some 170 entries): that took longer than the round trip to Redis itself. A client only
holds that table and borrows a connection from its pool for each command, so one client per pool serves
every request of the thread that owns the backend (Django keeps a cache backend per thread)."""

from django.core.cache.backends import redis


class KeptClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
