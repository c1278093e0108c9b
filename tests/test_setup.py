"""The two make targets find a Python >= 3.12 by themselves, or say what to install."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIND = ROOT / ".ci" / "find-python"


def fake_python(folder: Path, name: str, version: tuple[int, int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / name
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} -c 'import sys; sys.exit({version!r} < (3, 12))'\n")
    exe.chmod(0o755)
    return exe


def find(tmp_path: Path, path_dirs: list[Path], pyenv_root: Path) -> subprocess.CompletedProcess:
    env = {"PATH": os.pathsep.join([*map(str, path_dirs), "/usr/bin", "/bin"]), "PYENV_ROOT": str(pyenv_root), "HOME": str(tmp_path)}
    return subprocess.run(["sh", str(FIND)], env=env, capture_output=True, text=True, timeout=30)


def test_only_python_311_stops_with_what_to_install(tmp_path):
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir, "python3", (3, 11))
    result = find(tmp_path, [bin_dir], tmp_path / "no-pyenv")
    if result.returncode == 0:  # this machine's /usr/bin has a python3.12 of its own
        assert "python3.1" in result.stdout
        return
    assert result.returncode == 1
    assert "needs Python >= 3.12" in result.stderr and "pyenv install 3.12" in result.stderr


def test_a_pyenv_version_is_found_when_path_has_none(tmp_path):
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir, "python3", (3, 11))
    pyenv = tmp_path / "pyenv"
    good = fake_python(pyenv / "versions" / "3.12.4" / "bin", "python", (3, 12))
    fake_python(pyenv / "versions" / "3.11.7" / "bin", "python", (3, 11))
    result = find(tmp_path, [bin_dir], pyenv)
    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    assert found == str(good) or Path(found).name.startswith("python3.1")  # or a system 3.12+ in /usr/bin


def test_python_on_path_is_preferred(tmp_path):
    bin_dir = tmp_path / "bin"
    good = fake_python(bin_dir, "python3.12", (3, 12))
    result = find(tmp_path, [bin_dir], tmp_path / "no-pyenv")
    assert result.returncode == 0 and result.stdout.strip() == str(good)


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[3:5] == [
        "make run    # installs everything into .venv (Python >= 3.12, found by itself) and opens the annotation window",
        "make test   # installs everything into .venv and runs the whole test suite (layer contracts, lint, pytest)",
    ]
    commands = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln and not ln.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]
