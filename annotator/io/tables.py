"""Flat tables to files: CSV, JSON Lines or Parquet, one row per record, written in batches.

The file appears whole or not at all: rows go to a temporary file beside the target, which is
renamed over it at the end (a failed or cancelled write leaves the old file, if any, as it was).
Parquet needs pyarrow (the `tables` extra); CSV and JSON Lines need nothing beyond Python.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from annotator.core.errors import BadInput, StorageFailed

FORMATS = ("csv", "jsonl", "parquet")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "int", "str", "bool" or "date" (YYYY-MM-DD text): the Parquet type, nullable


class TableError(BadInput):
    """A table that cannot be written; the message is for the user. Nothing was written."""


def parquet_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise TableError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet" and not parquet_available():
        raise TableError("Parquet needs pyarrow, which is not installed: `pip install pyarrow` "
                         "(or annotator[tables]), or write --format csv or jsonl")


def write_table(
    columns: Sequence[Column],
    batches: Iterable[list[tuple]],
    fmt: str,
    out: Path | None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Write the rows to `out` (None: standard output, for csv and jsonl); returns the number of rows."""
    check_format(fmt)
    if out is None:
        if fmt == "parquet":
            raise TableError("Parquet is binary: give a file with --out")
        return _write_text(columns, batches, fmt, sys.stdout, on_batch)
    out = Path(out)
    if out.is_dir():
        raise TableError(f"{out} is a folder: give a file name")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent if str(out.parent) else ".")
    except OSError as exc:
        raise TableError(f"cannot write into {out.parent}: {exc.strerror or exc}") from exc
    tmp = Path(tmp_name)
    try:
        if fmt == "parquet":
            os.close(fd)
            n = _write_parquet(columns, batches, tmp, on_batch)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                n = _write_text(columns, batches, fmt, f, on_batch)
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageFailed(f"could not write {out}: {exc.strerror or exc}. Nothing was written.") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_text(columns, batches, fmt, f, on_batch) -> int:
    names = [c.name for c in columns]
    n = 0
    if fmt == "csv":
        writer = csv.writer(f)
        writer.writerow(names)
        for batch in batches:
            writer.writerows(batch)
            n += len(batch)
            if on_batch:
                on_batch(len(batch))
        return n
    for batch in batches:
        f.write("".join(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\n" for row in batch))
        n += len(batch)
        if on_batch:
            on_batch(len(batch))
    return n


def _write_parquet(columns, batches, path: Path, on_batch) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"int": pa.int64(), "str": pa.string(), "bool": pa.bool_(), "date": pa.date32()}
    schema = pa.schema([pa.field(c.name, types[c.kind], nullable=True) for c in columns])
    dates = {i for i, c in enumerate(columns) if c.kind == "date"}
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for batch in batches:
            if not batch:
                continue
            arrays = []
            for i in range(len(columns)):
                values = [row[i] for row in batch]
                if i in dates:  # a real date type, so pandas and R read a date, not text
                    values = [date.fromisoformat(v) if v else None for v in values]
                arrays.append(pa.array(values, type=schema.field(i).type))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(batch)
            if on_batch:
                on_batch(len(batch))
    return n
