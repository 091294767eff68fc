"""Query pins that hold on both CI databases.

Sessions live in the database on the embedded default and in Redis when ``REDIS_URL`` is set
(``cxc_portal/settings.py``): a page read by a signed-in user costs one query more on the former.
Exact pins (``django_assert_num_queries``) add :func:`session_queries` to their count."""

from __future__ import annotations

from django.conf import settings


def session_queries() -> int:
    """1 when the session is read from the database, 0 when from the cache (Redis)."""
    return 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
