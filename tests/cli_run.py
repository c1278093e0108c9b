"""Running the CLI as a user does (a subprocess), and writing JSONL inputs, for the import/export tests."""

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
