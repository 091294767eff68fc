"""The image's build context leaves out local state, secrets and caches (penetration test,
point 8): `COPY . .` in the Dockerfile would otherwise take the SQLite database with its
sessions, `.env`, the git history and the virtual environment.

No Docker engine here: the file is read and matched the way Docker matches it (patterns are
relative to the context root, `**` spans folders, a matched folder takes its contents, `!`
takes a path back, the last matching line wins).
"""

import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def patterns() -> list[tuple[bool, re.Pattern]]:
    """(is an exception, regex) for every line of .dockerignore, in order."""
    rules = []
    for line in (BASE_DIR / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        line = line.lstrip("!").strip("/")
        regex = ""
        for piece in re.split(r"(\*\*/|\*\*|\*|\?|\[[^\]]*\])", line):
            if piece == "**/":
                regex += "(?:.*/)?"
            elif piece == "**":
                regex += ".*"
            elif piece == "*":
                regex += "[^/]*"
            elif piece == "?":
                regex += "[^/]"
            elif piece.startswith("[") and piece.endswith("]"):
                regex += piece
            else:
                regex += re.escape(piece)
        rules.append((exception, re.compile(regex + r"(?:/.*)?\Z")))
    return rules


def ignored(path: str) -> bool:
    verdict = False
    for exception, regex in patterns():
        if regex.match(path):
            verdict = not exception
    return verdict


@pytest.mark.parametrize(
    "path",
    [
        "var/cxc.sqlite3",
        "var/test-cxc.sqlite3",
        "var/private/evidence/scan.pdf",
        "var/celery/queue/message.msg",
        "var/celerybeat-schedule",
        "media/private/contract.pdf",
        "elsewhere/db.sqlite3",
        ".env",
        ".env.production",
        ".git/HEAD",
        ".git/objects/ab/cdef",
        ".venv/bin/python",
        "node_modules/htmx/index.js",
        "static/node_modules/x.js",
        "__pycache__/x.pyc",
        "cxc_portal/__pycache__/settings.cpython-311.pyc",
        "exchanges/services.pyc",
        ".pytest_cache/v/cache/lastfailed",
        ".ruff_cache/content",
        ".hypothesis/examples/1",
        ".coverage",
        "htmlcov/index.html",
        "test-results/trace.zip",
    ],
)
def test_local_state_secrets_and_caches_stay_out_of_the_image(path):
    assert ignored(path), f"{path} would be copied into the image"


@pytest.mark.parametrize(
    "path",
    [
        "manage.py",
        "pyproject.toml",
        "uv.lock",
        "cxc_portal/settings.py",
        "exchanges/services.py",
        "templates/base.html",
        "static/css/portal.css",
        ".env.example",
    ],
)
def test_the_code_the_image_needs_is_still_copied(path):
    assert not ignored(path), f"{path} is needed in the image"
