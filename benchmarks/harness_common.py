"""What the crash harnesses (kill_harness.py, power_cut.py) share: a work folder, the log, the figures at the end."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@contextlib.contextmanager
def work_folder(given: Path | None, prefix: str) -> Iterator[Path]:
    """--workdir when given (kept afterwards), else a temporary folder removed at the end."""
    if given:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)


def print_figures(fig: dict, width: int, result: str, as_json: bool) -> None:
    """One line a figure, the RESULT line, and with --json the figures as one JSON line."""
    for key, value in fig.items():
        print(f"{key:>{width}}: {value}")
    print("RESULT:", result)
    if as_json:
        print(json.dumps(fig))
