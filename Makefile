# The two commands of the README:
#   make run    installs everything, loads demo data, runs web + worker + beat (embedded default)
#   make test   installs everything and runs the checks (ruff, migrations, layers, types) and the
#               whole test suite
# Both work on a fresh machine with Python 3.11: uv is installed with pip if missing.

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PYTEST_ARGS ?=
# The development server's port: `make run CXC_PORT=8010` (or CXC_PORT in .env, which honcho and
# the settings read); the e-mail links follow it (SITE_URL). Make passes it on as it is given.

.PHONY: run test unit install lint migrate demo serve state-diagram bench

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen

run: install migrate demo serve

migrate:
	$(UV) run python manage.py migrate --noinput

demo:
	$(UV) run python manage.py seed_demo

serve:
	@echo "ClusterXchange portal on http://127.0.0.1:$${CXC_PORT:-8000} (web + Celery worker + beat; Ctrl-C stops all)"
	$(UV) run honcho -f Procfile.dev start

lint:
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run python manage.py makemigrations --check --dry-run
	$(UV) run python manage.py check
	$(UV) run lint-imports   # the layers of docs/architecture.md
	$(UV) run mypy           # the files listed in pyproject.toml [tool.mypy]

test: install lint unit

unit:  ## the test suite alone (make test = install + lint + unit)
	$(UV) run pytest -n 2 $(PYTEST_ARGS)

state-diagram:  ## regenerate docs/exchange-states.md from the state machine in the code
	$(UV) run python manage.py exchanges_state_diagram

# The speed harness (README "Measuring speed"): builds a PostgreSQL database of SCALE exchanges
# (cxc_bench, dropped and recreated; role cxc/cxc on 127.0.0.1), serves it with gunicorn and
# measures with wrk; writes benchmarks/results/latest.md. `make bench SCALE=100000`.
SCALE ?= 2000
BENCH_ARGS ?=
bench:
	$(UV) run python benchmarks/harness.py --scale $(SCALE) $(BENCH_ARGS)
