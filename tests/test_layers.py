"""The layer contracts in pyproject.toml hold, and they do fail when broken."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def run_lint(cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_contracts_are_kept():
    result = run_lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_qt_in_the_core_or_an_upward_import_breaks_the_contracts(tmp_path):
    shutil.copytree(ROOT / "annotator", tmp_path / "annotator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    model = tmp_path / "annotator" / "core" / "model.py"
    model.write_text("import PySide6  # noqa\n" + model.read_text())
    storage = tmp_path / "annotator" / "storage" / "db.py"
    storage.write_text("import annotator.session.corpus  # noqa\n" + storage.read_text())
    result = run_lint(tmp_path)
    assert result.returncode != 0
    assert "Qt only in annotator.ui BROKEN" in result.stdout
    assert "Layers point down" in result.stdout and "annotator.storage.db -> annotator.session.corpus" in result.stdout
