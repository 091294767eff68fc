"""docker-compose.yml has the production shape (no Docker engine here: the file is parsed)."""

from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parents[2]


def load():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_services_present():
    services = load()["services"]
    assert {"db", "redis", "web", "worker", "beat", "mailpit"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_portal_services_share_one_image_and_environment():
    services = load()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["build"] == "."
        env = service["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # refuses to start without it
        assert env["EMAIL_HOST"] == "mailpit"
        assert set(service["depends_on"]) == {"db", "redis"}


def test_commands():
    services = load()["services"]
    assert "gunicorn cxc_portal.wsgi" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A cxc_portal worker")
    assert services["beat"]["command"].startswith("celery -A cxc_portal beat")
    assert "8000:8000" in services["web"]["ports"]


def test_dockerfile_runs_gunicorn_with_collected_static():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile
    assert "gunicorn" in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile
