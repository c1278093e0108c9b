"""The CLI turns errors into messages in one place: a known failure prints its message and exits with
its kind's code; a bug is written with its traceback to the log file and shown as one line."""

import os
import subprocess
import sys

from annotator.core.errors import EXIT_CODES, AnnotatorError, Kind, Locked
from annotator.session.export import ExportCancelled, ExportError
from annotator.storage import DatabaseDamaged, DatabaseError
from annotator.storage.backup import BackupError
from annotator.storage.lock import DatabaseLocked

# a command module added for the test: registered like any other, it fails the way asked
CRASHER = '''
import typer
from annotator.cli.app import app
from annotator.core.errors import NotFound

@app.command("crash")
def crash(how: str) -> None:
    if how == "known":
        raise NotFound("there is no such thing")
    raise ZeroDivisionError("a bug")
'''


def run(tmp_path, *args):
    pkg = tmp_path / "plugin_cli"
    pkg.mkdir(exist_ok=True)
    (pkg / "sitecustomize.py").write_text(
        "import annotator.cli.app, importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('crasher', {str(pkg / 'crasher.py')!r})\n"
        "mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)\n"
    )
    (pkg / "crasher.py").write_text(CRASHER)
    env = dict(os.environ, PYTHONPATH=str(pkg), ANNOTATOR_LOG_DIR=str(tmp_path / "logs"))
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, env=env, timeout=120)


def test_a_known_failure_is_its_message_and_its_kinds_exit_code(tmp_path):
    result = run(tmp_path, "crash", "known")
    assert result.returncode == EXIT_CODES[Kind.NOT_FOUND] == 4
    assert result.stderr == "error: there is no such thing\n"


def test_a_bug_is_one_line_naming_the_log_which_holds_the_traceback(tmp_path):
    result = run(tmp_path, "crash", "bug")
    log = tmp_path / "logs" / "annotator.log"
    assert result.returncode == 70
    assert result.stderr.strip() == f"error: unexpected ZeroDivisionError: a bug; the details are in {log}"
    assert "Traceback" not in result.stderr
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "ZeroDivisionError: a bug" in text and "annotator crash bug" in text
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_every_error_the_app_raises_is_in_the_family_with_a_kind():
    assert issubclass(DatabaseLocked, DatabaseError) and DatabaseLocked.kind is Kind.LOCKED
    assert DatabaseDamaged.kind is Kind.DAMAGED and DatabaseError.kind is Kind.STORAGE
    assert ExportCancelled.kind is Kind.CANCELLED and ExportError.kind is Kind.BAD_INPUT
    assert BackupError.kind is Kind.STORAGE and Locked("x").exit_code == 5
    for cls in (DatabaseError, ExportError, BackupError):
        assert issubclass(cls, AnnotatorError)
    assert AnnotatorError("x", kind="model").exit_code == 8
    assert len(set(EXIT_CODES)) == len(Kind)
