# chithi — `make demo` serves the product with demo data; `make test` runs every check.
PORT ?= 8000
export PORT

.PHONY: setup demo test lint messages bench clean

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

clean:
	rm -rf var/static var/test-artifacts
