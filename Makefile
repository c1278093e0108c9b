# Two commands matter: `make run` (install and launch) and `make test` (install and test).
# Both create .venv with a Python >= 3.12 found on this machine (PySide6 6.12 aborts on 3.11).

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
QT_ENV := QT_QPA_PLATFORM=offscreen

.PHONY: run test lint bench bench-import bench-ui bench-export bench-consistency bench-holders bench-dashboard bench-agreement bench-train bench-preannotate reliability palette clean-venv

$(PY):
	@py=$$(sh .ci/find-python) || exit 1; \
	echo "creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/annotator $(ARGS)

test: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check annotator tests benchmarks
	$(QT_ENV) $(VENV)/bin/pytest -q $(PYTEST_ARGS)

bench-import: $(STAMP)
	$(PY) benchmarks/bench_import.py
	$(PY) benchmarks/bench_import_prodigy.py --tasks 100000

bench-ui: $(STAMP)
	$(QT_ENV) $(PY) benchmarks/bench_ui.py

bench-export: $(STAMP)
	$(PY) benchmarks/bench_export.py

bench-consistency: $(STAMP)
	$(PY) benchmarks/bench_consistency.py

bench-holders: $(STAMP)
	$(PY) benchmarks/bench_holders.py $(ARGS)

bench-dashboard: $(STAMP)
	$(QT_ENV) $(PY) benchmarks/bench_dashboard.py

bench-train: $(STAMP)
	$(PY) benchmarks/bench_train.py $(ARGS)

bench-agreement: $(STAMP)
	$(PY) benchmarks/bench_agreement.py

bench-preannotate: $(STAMP)
	$(PY) benchmarks/bench_preannotate.py $(ARGS)

palette: $(STAMP)
	$(PY) benchmarks/palette.py

bench: bench-import bench-ui bench-export bench-consistency bench-holders bench-dashboard bench-agreement

reliability: $(STAMP)
	$(PY) benchmarks/kill_harness.py --kills 1000
	$(PY) benchmarks/power_cut.py --cuts 500

clean-venv:
	rm -rf $(VENV)
