"""QA round 5 on issue 10: defects found by trying each tool's files as a new user would, each
driven through the CLI as a subprocess (exit codes and messages are what the user sees)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ENV = dict(os.environ, NO_COLOR="1")


def annotator(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], cwd=cwd, env=ENV, capture_output=True,
                          text=True, timeout=180)


def jsonl(path: Path, *objs) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    return path


def test_a_symlink_loop_named_on_the_command_line_costs_only_itself(tmp_path):
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "ok.txt").write_text("A good article.\n", encoding="utf-8")
    proc = annotator("import", "loop", "ok.txt", "--db", "c.db", "--model", "none", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "unexpected" not in proc.stderr
    assert "rejected loop:" in proc.stderr and "imported 1 documents" in proc.stdout
