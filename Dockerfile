# Production image of the ClusterXchange portal (web, worker and beat share it).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint needs Pango; fonts for the PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .

# Static files are collected at build time and served by whitenoise.
RUN DJANGO_ENV=production ALLOWED_HOSTS=build \
    SECRET_KEY=build-time-only-key-not-used-at-run-time-0123456789abcdef \
    python manage.py collectstatic --noinput \
 && useradd --system --home /app cxc && mkdir -p /app/var && chown -R cxc /app/var

USER cxc
ENV DJANGO_ENV=production
EXPOSE 8000
CMD ["gunicorn", "cxc_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
