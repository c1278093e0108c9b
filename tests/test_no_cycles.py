"""No module of annotator imports itself back through others (a cycle), counting late imports too."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIND_CYCLES = """
import sys, grimp
graph = grimp.build_graph("annotator")
index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in graph.find_modules_directly_imported_by(v):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: found.append(sorted(comp))
for m in sorted(graph.modules):
    if m not in index: visit(m)
print(found)
"""


def cycles(root: Path) -> list:
    out = subprocess.run([sys.executable, "-c", FIND_CYCLES], cwd=root, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return eval(out.stdout)  # a list literal printed by the script above


def test_there_is_no_import_cycle():
    assert cycles(ROOT) == []


def test_a_cycle_is_found(tmp_path):
    shutil.copytree(ROOT / "annotator", tmp_path / "annotator", ignore=shutil.ignore_patterns("__pycache__"))
    lock = tmp_path / "annotator" / "storage" / "lock.py"
    lock.write_text(lock.read_text() + "\n\ndef _late():\n    from annotator.storage import backup  # noqa\n")
    backup = tmp_path / "annotator" / "storage" / "backup.py"
    assert "annotator.storage.lock" in backup.read_text()
    found = cycles(tmp_path)
    assert any({"annotator.storage.lock", "annotator.storage.backup"} <= set(c) for c in found)
