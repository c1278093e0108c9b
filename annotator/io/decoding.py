"""Bytes to text for importers: UTF-8 only, with reasons a user can act on."""

from __future__ import annotations

# longest first: a UTF-32 LE mark starts with the UTF-16 LE one
BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 BE"),
    (b"\xff\xfe\x00\x00", "UTF-32 LE"),
    (b"\xef\xbb\xbf", "UTF-8"),
    (b"\xfe\xff", "UTF-16 BE"),
    (b"\xff\xfe", "UTF-16 LE"),
)


class Invalid(ValueError):
    """A record that cannot be imported; the message is the reason shown to the user."""


def bom_of(data: bytes) -> str | None:
    for mark, name in BOMS:
        if data.startswith(mark):
            return name
    return None


def bom_reason(name: str, what: str = "the file") -> str:
    if name == "UTF-8":
        return f"{what} starts with a UTF-8 byte-order mark (BOM): save the file as UTF-8 without BOM"
    encoding = name.split()[0]
    return f"{what} starts with a {name} byte-order mark (BOM): it is {encoding}, not UTF-8; save it as UTF-8 without BOM"


def utf8_reason(data: bytes, err: UnicodeDecodeError, whole_file: bool) -> str:
    pos = err.start
    if whole_file:
        line = data.count(b"\n", 0, pos) + 1
        column = pos - data.rfind(b"\n", 0, pos)
        where = f"line {line}, byte {column}"
    else:
        where = f"byte {pos + 1} of the line"
    return f"not UTF-8: byte 0x{data[pos]:02x} at {where} ({err.reason}); save the file as UTF-8"


def check_encodable(value: str, what: str, say_where: bool = True) -> None:
    """JSON \\u escapes can make unpaired surrogates, which no UTF-8 file or database can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        where = f" at character {err.start}" if say_where else ""
        code = ord(value[err.start])
        raise Invalid(f"{what} has an unpaired surrogate \\u{code:04x}{where} (a broken \\u escape)") from None


def nul_reason(data: bytes | str, whole_file: bool) -> str | None:
    """Why text holding NUL characters is refused (None if it holds none).

    SQLite's length(), the search index and C-string APIs stop at a NUL (a title was cut there),
    and text full of NULs between ASCII letters is UTF-16 read as if it were UTF-8.
    """
    nul = b"\x00" if isinstance(data, bytes) else "\x00"
    pos = data.find(nul)
    if pos < 0:
        return None
    newline = b"\n" if isinstance(data, bytes) else "\n"
    if whole_file:
        line = data.count(newline, 0, pos) + 1
        where = f"at line {line}, character {pos - data.rfind(newline, 0, pos)}"
    else:
        where = f"at character {pos + 1} of the line"
    sample = data[:4000]
    if sample.count(nul) * 3 >= len(sample):  # every other byte: UTF-16 without a byte-order mark
        return (f"this looks like UTF-16 without a byte-order mark (NUL bytes between the letters, first {where}): "
                "save the file as UTF-8")
    return f"the text contains a NUL character {where}: remove it (a NUL would cut the text short in the database and search)"


def shown(path) -> str:
    """A path as text that can be stored and written as UTF-8.

    A file name that is not UTF-8 (Latin-1 from an old archive) reaches Python with surrogate
    escapes, which SQLite, JSON shards and the terminal all refuse; its bytes are shown as \\xe9.
    """
    import os

    return os.fsencode(path).decode("utf-8", "backslashreplace")
