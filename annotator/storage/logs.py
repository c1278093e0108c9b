"""Where unexpected errors are written: one log file per user, shared by the window and the CLI."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "annotator.log"


def log_dir() -> Path:
    """$ANNOTATOR_LOG_DIR, else the user's data folder (the window's QStandardPaths AppDataLocation on Linux)."""
    if os.environ.get("ANNOTATOR_LOG_DIR"):
        return Path(os.environ["ANNOTATOR_LOG_DIR"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "annotator" / "annotator"


def file_handler(directory: Path | None = None) -> tuple[logging.Handler, Path]:
    """A rotating handler on the log file (created private: a traceback may quote article text)."""
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_NAME
    if not path.exists():
        path.touch(mode=0o600)
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler, path


def log_exception(exc: BaseException, what: str = "unexpected error") -> Path | None:
    """Write `exc` with its traceback to the log file; returns the file (None if it cannot be written)."""
    logger = logging.getLogger("annotator.crash")
    try:
        handler, path = file_handler()
    except OSError:
        return None
    logger.addHandler(handler)
    try:
        logger.error(what, exc_info=(type(exc), exc, exc.__traceback__))
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path


__all__ = ["LOG_NAME", "file_handler", "log_dir", "log_exception"]
