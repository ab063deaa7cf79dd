# Vigilance: `make run` to try it, `make test` to run the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
RUN_ENV := DEBUG=1 VIGILANCE_ALLOW_INSECURE_KEY=1

.PHONY: run test install migrate demo lint messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(RUN_ENV) $(PY) manage.py migrate --no-input

demo: migrate
	$(RUN_ENV) $(PY) manage.py import_communes
	$(RUN_ENV) $(PY) manage.py seed_demo

run: demo
	@echo "Serving Vigilance at http://127.0.0.1:8000 (SQLite, tasks in-process, emails and SMS printed here)"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: install
	$(RUN_ENV) $(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=staticfiles --ignore=*/tests/*
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
