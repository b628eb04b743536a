"""Tell the encoding of a text extract apart, never guess it silently.

A file is decoded as one encoding only when every line decodes the same way:

* UTF-16 with a byte-order mark (``FF FE`` / ``FE FF``): strict UTF-16;
* otherwise, when every line is valid UTF-8 (with or without BOM): UTF-8;
* otherwise, when no line holds UTF-8 text beyond ASCII and every line is
  valid Windows-1251: Windows-1251;
* a file in which some lines are UTF-8 text and others are not is refused,
  naming the lines that differ (one pasted Windows-1251 line must not turn
  600 correct Cyrillic names into mojibake).

The file is streamed in line-aligned chunks of about 1 MB: a chunk that decodes
as UTF-8 as a whole costs one C-level decode, and a chunk that does not is
split into lines only when it also holds UTF-8 multi-byte sequences (a pure
Windows-1251 file never is). Text in another encoding than UTF-8 is transcoded
to a UTF-8 scratch copy (line numbers unchanged) for DuckDB.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from data.ingest.problems import FileProblem, not_empty

_CHUNK = 1 << 20
#: A UTF-8 multi-byte sequence (what a Windows-1251 line practically never holds).
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: From the start of a line to its first non-ASCII byte (linear: no backtracking over long lines).
_NON_ASCII_LINE = re.compile(rb"(?m)^[\x00-\x09\x0b-\x7f]*[\x80-\xff]")
_SHOWN = 8  # line numbers quoted in a message


def _chunks(fh):
    """Yield (first line number, bytes) in line-aligned chunks."""
    line = 1
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return
        chunk += fh.readline()
        yield line, chunk
        line += chunk.count(b"\n")


def _utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _lines_list(lines: list[int], total: int) -> str:
    shown = ", ".join(str(n) for n in lines[:_SHOWN])
    return shown + (f" and {total - _SHOWN:,} more" if total > _SHOWN else "")


def _binary(path: Path) -> FileProblem:
    return FileProblem("unreadable_file", path.name,
                       f"{path.name} is not a text CSV file (it holds binary data, or UTF-16 without a byte-order "
                       f"mark). Save it as CSV in UTF-8 (or as .xlsx) and run the ingest again.")


def detect(path: Path) -> str:
    """``utf-8``, ``windows-1251`` or ``utf-16`` for a text file, read strictly line by line.

    Raises
    ------
    FileProblem
        ``unreadable_file`` when the file is empty or binary, when a line is in
        no accepted encoding, or when lines are in different encodings (the
        message names them and says what to do).
    """
    not_empty(path)
    with path.open("rb") as fh:
        head = fh.read(2)
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return _check_utf16(path)
    utf8_text: list[int] = []     # lines with UTF-8 text beyond ASCII (the first few)
    other: list[int] = []         # lines that are not UTF-8 (the first few)
    n_utf8 = n_other = 0
    with path.open("rb") as fh:
        for first, chunk in _chunks(fh):
            if b"\x00" in chunk:
                raise _binary(path)
            if chunk.isascii():
                continue
            if _utf8(chunk) or not _UTF8_SEQ.search(chunk):   # the whole chunk is one or the other
                found = utf8_text if _utf8(chunk) else other
                for m in _NON_ASCII_LINE.finditer(chunk):
                    if len(found) >= _SHOWN:
                        break
                    found.append(first + chunk.count(b"\n", 0, m.start()))
                n = len(_NON_ASCII_LINE.findall(chunk))
                if found is utf8_text:
                    n_utf8 += n
                else:
                    n_other += n
                continue
            for i, line in enumerate(chunk.split(b"\n"), start=first):
                if line.isascii():
                    continue
                found = utf8_text if _utf8(line) else other
                if found is utf8_text:
                    n_utf8 += 1
                else:
                    n_other += 1
                if len(found) < _SHOWN:
                    found.append(i)
    if not n_other:
        return "utf-8"
    if n_utf8:
        raise FileProblem(
            "unreadable_file", path.name,
            f"{path.name} mixes encodings: {n_other:,} line(s) are not UTF-8 (they look like Windows-1251): "
            f"line(s) {_lines_list(other, n_other)}; {n_utf8:,} other line(s) are UTF-8 text (e.g. line(s) "
            f"{', '.join(map(str, utf8_text))}). Reading it as either "
            f"would garble the other lines' names. Save the whole file in one encoding (UTF-8) — e.g. open it in "
            f"Excel or LibreOffice and save it again as CSV UTF-8 — and run the ingest again.")
    _check_cp1251(path)
    return "windows-1251"


def _check_cp1251(path: Path) -> None:
    dec = codecs.getincrementaldecoder("cp1251")("strict")
    with path.open("rb") as fh:
        for first, chunk in _chunks(fh):
            try:
                dec.decode(chunk)
            except UnicodeDecodeError as exc:
                line = first + chunk[:exc.start].count(b"\n")
                raise FileProblem(
                    "unreadable_file", path.name,
                    f"{path.name} is neither UTF-8 nor Windows-1251 text (line {line} holds the byte "
                    f"0x{chunk[exc.start]:02X}, which neither encoding has). Save it as CSV in UTF-8 and run the "
                    f"ingest again.") from None


def _check_utf16(path: Path) -> str:
    dec = codecs.getincrementaldecoder("utf-16")("strict")
    line = 1
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(_CHUNK):
                line += dec.decode(chunk).count("\n")
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileProblem("unreadable_file", path.name,
                              f"{path.name} starts with a UTF-16 byte-order mark but line {line} is not valid "
                              f"UTF-16. Save the whole file as CSV in UTF-8 and run the ingest again.") from None
    return "utf-16"


def readable(path: Path, encoding: str, work: Path) -> Path:
    """``path`` itself when it is UTF-8, else a UTF-8 copy in ``work`` (streamed; same lines)."""
    if encoding == "utf-8":
        return path
    out = work / f"{path.stem}.utf8.csv"
    codec = "cp1251" if encoding == "windows-1251" else "utf-16"
    with path.open("r", encoding=codec, newline="") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(chunk)
    return out
