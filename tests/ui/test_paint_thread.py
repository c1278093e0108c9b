"""The window paints on the GUI thread only: Qt's raster engine would hand each tall fill (a scroll bar, the
entity list, the article) to a thread pool and wait for it, which cost an add 2-5 ms (annotator/ui/__init__.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHILD = r"""
import os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QScrollBar
app = QApplication([])
app.setStyle("Fusion")  # the style the window uses (its scroll bar fills its groove)
if sys.argv[1] == "annotator":
    import annotator.ui  # noqa: F401  (what every window of the package imports first)
bar = QScrollBar()
bar.resize(14, 900)
bar.setRange(0, 1000)
bar.show()
app.processEvents()
for k in range(20):
    bar.setValue(k * 50)
    bar.repaint()
names = [Path(t, "comm").read_text().strip() for t in Path("/proc/self/task").iterdir()]
print(sum(name.startswith("Thread (pooled)") for name in names))
"""


def pooled_threads(mode: str) -> int:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", CHILD, mode], env=env, capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    return int(out.stdout.split()[-1])


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads are counted from /proc")
def test_no_paint_thread_pool_once_the_window_package_is_imported():
    assert pooled_threads("annotator") == 0
    # the check itself works: plain Qt does start its pool for the same painting
    assert pooled_threads("qt") > 0
