# chithi — `make demo` serves the product with demo data; `make test` runs every check.
PORT ?= 8000
export PORT

.PHONY: setup demo test lint messages bench locust cluster-test clean

setup:
	@bash scripts/bootstrap.sh

demo:
	@bash scripts/demo.sh

test:
	@bash scripts/test.sh

lint: setup
	.venv/bin/ruff check src bench
	.venv/bin/mypy src

# Rebuild the translation catalogues (needs GNU gettext); the compiled .mo files are committed.
messages: setup
	cd src/chithi && ../../.venv/bin/python ../../manage.py makemessages -l vi -l en --no-obsolete -i "*/tests/*"
	.venv/bin/python manage.py compilemessages_py

# Every benchmark at a chosen scale (1 = all of Vietnam), in the scratch database BENCH_DATABASE_URL
# (default postgres:///chithi_bench); prints one table. `make locust` runs only the load scenario.
SCALE ?= 0.01
BENCH_SECONDS ?= 20
bench: setup
	.venv/bin/python bench/run.py --scale $(SCALE) --seconds $(BENCH_SECONDS)

locust: setup
	.venv/bin/python bench/run.py --skip-generate --only locust --seconds $(BENCH_SECONDS)

# Two app servers behind HAProxy, PostgreSQL primary + replica, Redis, an RQ worker, S3 (moto), on loopback.
cluster-test: setup
	@bash scripts/cluster_test.sh

clean:
	rm -rf var/static var/test-artifacts
