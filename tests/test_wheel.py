"""An installed wheel works outside the checkout: seeds and icons are package data.

The wheel is built from a copy of the tracked files, installed into a fresh virtual environment
(its dependencies are taken from the test environment's site-packages through a .pth file, so
nothing is downloaded), and run from an empty folder: `annotator import --seeds` and the window's
first-run import both find the five seed articles.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        rel = Path(os.fsdecode(name))
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        source = ROOT / rel
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(pip + ["wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work / "dist"), str(src)],
                   check=True, capture_output=True, timeout=300)
    wheel = next((work / "dist").glob("annotator-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies, not annotator: the test environment's editable finder lives in a .pth that is not run from here
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(pip + ["--python", str(py), "install", "--no-deps", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=300)
    return venv


def run(venv: Path, cwd: Path, *args, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_annotator_comes_from_the_wheel_not_the_checkout(installed, tmp_path):
    out = run(installed, tmp_path, str(installed / "bin" / "python"), "-c", "import annotator; print(annotator.__file__)")
    assert out.returncode == 0, out.stderr
    assert str(installed) in out.stdout and str(ROOT) not in out.stdout


def test_import_of_the_default_seeds_works_outside_the_checkout(installed, tmp_path):
    out = run(installed, tmp_path, str(installed / "bin" / "annotator"), "import", "--seeds", "--db", "c.db", "--model", "none")
    assert out.returncode == 0, out.stderr
    assert "imported 5 documents" in out.stdout
    stats = run(installed, tmp_path, str(installed / "bin" / "annotator"), "stats", "--db", "c.db", "--json")
    assert json.loads(stats.stdout)["documents"]["total"] == 5


FIRST_RUN = """
import sys
from pathlib import Path
from annotator.ui.app import make_application
from annotator.ui.main_window import MainWindow
app = make_application()
assert not app.windowIcon().isNull(), "the icon ships in the wheel"
w = MainWindow(Path("w.db"))
worker = w.first_run()
assert worker is not None, "no seeds found"
worker.wait(240_000)
app.processEvents()
print(w.corpus.count_documents())
w.close()
"""


def test_the_windows_first_run_import_works_outside_the_checkout(installed, tmp_path):
    out = run(installed, tmp_path, str(installed / "bin" / "python"), "-c", FIRST_RUN)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "5"
