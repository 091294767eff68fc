"""The Redis cache, made to degrade instead of failing when Redis cannot be reached.

What the cache holds is short-lived and rebuildable: django-allauth's rate-limit counters and
its record of TOTP codes already used (sessions live in the database, see settings). Django's
``RedisCache`` raises ``redis.ConnectionError`` on every call while Redis is down, which would
make every page that touches the cache (sign-in, the second factor) answer 500. This backend
catches the unreachable-server errors, logs them, and serves the call from a process-local
memory cache instead; after ``RETRY_SECONDS`` it tries Redis again. So while Redis is down,
rate limits and the TOTP replay guard hold per web process (not across processes) and nothing
fails; once it is back, Redis serves again (what was kept in memory meanwhile is forgotten).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: After a failure, calls go to the memory cache this long before Redis is tried again (so a
#: page does not wait for a connection timeout on every cache call while Redis is away).
RETRY_SECONDS = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# Per server, per process: until when Redis is taken for down (monotonic clock).
_down_until: dict[str, float] = {}


class ForgivingRedisCache(RedisCache):
    """``RedisCache`` that falls back to a process-local ``LocMemCache`` while Redis is down."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._server_key = str(server)
        fallback_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._fallback = LocMemCache(f"cxc-redis-fallback:{server}", fallback_params)

    def redis_is_down(self) -> bool:
        return time.monotonic() < _down_until.get(self._server_key, 0.0)

    def _call(self, name: str, *args: Any) -> Any:
        if not self.redis_is_down():
            try:
                return getattr(super(), name)(*args)
            except UNREACHABLE as exc:
                _down_until[self._server_key] = time.monotonic() + RETRY_SECONDS
                logger.warning(
                    "Redis cache unreachable (%s: %s): using process memory for %ss",
                    type(exc).__name__,
                    exc,
                    RETRY_SECONDS,
                )
        return getattr(self._fallback, name)(*args)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
