"""Production-like settings for the benchmark: the portal's own, plus one bare view.

``DJANGO_ENV=production`` (DEBUG off, hashed static files, the production checks) with what a
run on 127.0.0.1 over plain http needs: localhost hosts, no SSL redirect, no secure-only
cookies, no HSTS. The URLconf is ``benchmarks.urls``: the portal's URLs plus the bare view the
harness compares every page with. Never used by the portal itself.
"""

import os

os.environ.setdefault("DJANGO_ENV", "production")
os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from cxc_portal.settings import *  # noqa: E402,F403

ROOT_URLCONF = "benchmarks.urls"
