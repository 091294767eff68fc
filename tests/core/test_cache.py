"""The Redis cache degrades instead of failing while Redis is down (cxc_portal.core.cache)."""

import socket

import pytest
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from cxc_portal.core import cache as forgiving


def _closed_port_url() -> str:
    with socket.socket() as probe:  # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def down_cache():
    forgiving._down_until.clear()
    url = _closed_port_url()
    params = {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    yield url, forgiving.ForgivingRedisCache(url, params)
    forgiving._down_until.clear()


def test_django_redis_cache_raises_while_redis_is_down(down_cache):
    """Why the wrapper exists: Django's own backend raises on every call (a 500 on any page
    that touches the cache: sign-in, the second factor)."""
    url, _ = down_cache
    with pytest.raises(RedisConnectionError):
        RedisCache(url, {}).get("anything")


def test_the_cache_falls_back_to_process_memory_while_redis_is_down(down_cache, caplog):
    """Every call answers from memory (rate limits and used TOTP codes keep working per
    process), with one warning; no exception."""
    _, cache = down_cache
    assert cache.get("missing", "default") == "default"
    assert cache.redis_is_down()
    assert cache.add("code", "y", 30) is True
    assert cache.add("code", "y", 30) is False  # allauth's TOTP replay guard holds
    cache.set("counter", 1)
    assert cache.incr("counter") == 2
    assert cache.get_many(["counter", "code"]) == {"counter": 2, "code": "y"}
    assert cache.has_key("code")
    cache.delete("code")
    assert not cache.has_key("code")
    assert "Redis cache unreachable" in caplog.text


def test_redis_is_tried_again_after_the_pause(down_cache, monkeypatch):
    """Past ``RETRY_SECONDS`` the next call goes to Redis again (and, still down, back to
    memory)."""
    _, cache = down_cache
    cache.get("x")
    attempts = []
    original = RedisCache.get

    def counting_get(self, *args):
        attempts.append(args)
        return original(self, *args)

    monkeypatch.setattr(RedisCache, "get", counting_get)
    cache.get("x")
    assert attempts == []  # within the pause: memory only
    forgiving._down_until.clear()  # the pause is over
    assert cache.get("x", 7) == 7
    assert len(attempts) == 1


def test_sessions_live_in_the_database(settings):
    """A Redis outage or restart signs nobody out (and a sign-out cannot come back from a stale
    cached copy): sessions are in the database in both modes."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
