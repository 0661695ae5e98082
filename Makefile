# Two commands on a fresh machine: `make demo` and `make test`. Both build .venv first.
PY     ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo test lint bench clean airflow

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/system-packages.txt
	@scripts/install-system-packages.sh
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "installing pinned dependencies into $(VENV) ..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check "uv==0.13.9" \
	  && $(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock \
	  || $(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	@$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e . \
	  || $(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@# this machine sets PYTHONDONTWRITEBYTECODE=1: compile once here, or every cold import pays
	@$(BIN)/python -m compileall -q -j 0 $(VENV)/lib >/dev/null 2>&1 || true
	@rm -f $(VENV)/.installed-* && touch $@

demo: install
	@$(BIN)/python -m etl demo

test: install lint
	@$(BIN)/python -m pytest

# errors only (pyproject.toml [tool.ruff]): syntax, undefined and unused names, real-bug patterns;
# then mypy on etl, dags and demo_portal ([tool.mypy]; its cache in .mypy_cache)
lint: install
	@$(BIN)/ruff check etl dags demo_portal tests benchmarks scripts
	@$(BIN)/mypy
	@$(BIN)/python -m etl.warehouse.seeds      # the dbt seeds equal the domain knowledge

# the Airflow CLI with the project's environment (etl/airflow_env.py): metadata DB migrated and
# the writer pool created first, the venv on PATH; e.g. ARGS="dags list", ARGS="standalone"
airflow: install
	@$(BIN)/python -m etl.airflow_env $(ARGS)

bench: install
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf data .airflow
