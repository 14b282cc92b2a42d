"""Read a CSV file: its encoding, its delimiter and its rows, refusing a file with more rows
than the limit allows before it is split (and, for an ASCII-compatible file, before it is
decoded)."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from typing import Any

from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity
from planner.io.files import Grid, SourceFile, file_problem, row_slack

_DELIMITERS = (",", ";", "\t", "|")


def _decode(source: SourceFile) -> str:
    data = source.data
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise InputError([file_problem(source.name, "bad_encoding",
                                               encoding=enc)]) from None
            return _textual(source, text)
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a BOM, or binary
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_textual(text):
                return _textual(source, text)
        raise InputError([file_problem(source.name, "not_a_table_file")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # text in a legacy 8-bit encoding (Windows-1258, TCVN3, VNI) reads as Windows-1258
        # without many control characters; random bytes do not
        if not _looks_textual(data[:65536].decode("cp1258", errors="replace")):
            raise InputError([file_problem(source.name, "not_a_table_file")]) from None
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([Problem(severity=Severity.ERROR, code="not_utf8", file=source.name,
                                  row=line, params={"byte": f"0x{data[exc.start]:02X}"})]) from None
    return _textual(source, text)


def _textual(source: SourceFile, text: str) -> str:
    text = text.rstrip("\x1a")  # DOS end-of-file mark left by old tools
    if not _NOT_SPACE.search(text):  # (no stripped copy of a large file)
        raise InputError([file_problem(source.name, "empty_file")])
    if not _looks_textual(text):
        raise InputError([file_problem(source.name, "not_a_table_file")])
    return text


def _looks_textual(text: str) -> bool:
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    return bad <= max(8, len(sample) // 50)  # a few stray control characters are tolerated


def _sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", (-1, -1)
    for delim in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim)
                      if any(c.strip() for c in r)]
        except csv.Error:  # a cell beyond csv's field limit: reported when the file is read
            continue
        if not counts:
            continue
        widest = max(counts)
        rows_at_width = sum(1 for n in counts if n >= 2 and n >= widest - 1)
        score = (rows_at_width if widest >= 2 else 0, widest)
        if score > best_score:
            best, best_score = delim, score
    return best


_NOT_SPACE = re.compile(r"\S")
_LONE_CR = re.compile(r"\r(?!\n)")
_BLANK_LINE = re.compile(r"^[,;\t| \r\"']*$", re.M)
_BLANK_LINE_BYTES = re.compile(rb"^[,;\t| \r\"']*$", re.M)


def _count_rows(text: str | bytes, limits: Limits) -> int | None:
    """Lines holding something, when there may be more than the limit allows; else None.

    Counting newlines is cheap; only a file with more lines than the limit is looked at
    closer, still without splitting it (blank lines such as ",,,," do not count). Works on
    the raw bytes of ASCII-compatible files, so a huge file is refused before it is decoded.
    """
    stop = limits.max_rows + row_slack(limits)
    if isinstance(text, str):
        newlines, ends = text.count("\n"), text.endswith("\n")
    else:
        newlines, ends = text.count(b"\n"), text.endswith(b"\n")
    lines = newlines + (not ends)
    if lines <= stop:
        return None
    blank = (sum(1 for _ in _BLANK_LINE.finditer(text)) if isinstance(text, str)
             else sum(1 for _ in _BLANK_LINE_BYTES.finditer(text)))
    filled = lines - blank + ends
    return filled if filled > stop else None


def _refuse_too_many_rows(source: SourceFile, text: str | bytes, limits: Limits) -> None:
    rows_found = _count_rows(text, limits)
    if rows_found is not None:
        raise InputError([Problem(severity=Severity.ERROR, code="too_many_rows", file=source.name,
                                  params={"rows": rows_found, "limit": limits.max_rows})])


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time (csv joins quoted line breaks);
    unlike a StringIO this holds no second copy of a large file."""
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        yield text[start:end]
        start = end


def read_csv(source: SourceFile, limits: Limits) -> Grid:
    data = source.data
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        data[:4096].count(b"\x00") > len(data[:4096]) // 4)
    if not utf16:
        _refuse_too_many_rows(source, data, limits)  # before decoding a huge file
    text = _decode(source)
    if "\r" in text and _LONE_CR.search(text):
        # lines ended by CR alone (Excel for Mac's "CSV (Macintosh)", classic Mac OS): read
        # them as lines; a CR before LF is left to csv, which keeps CRLF files as they are
        text = _LONE_CR.sub("\n", text)
    _refuse_too_many_rows(source, text, limits)
    delim = _sniff_delimiter(text[:262144].splitlines()[:60])
    rows: list[list[Any]] = []
    reader = csv.reader(_lines(text), delimiter=delim)
    try:
        for record in reader:
            rows.append([c if c.strip() else None for c in record])
    except csv.Error as exc:
        if "field limit" in str(exc):  # a cell of more than 128 KiB: not a staffing table
            raise InputError([Problem(severity=Severity.ERROR, code="cell_far_too_long",
                                      file=source.name, row=len(rows) + 1,
                                      params={"chars": csv.field_size_limit(),
                                              "limit": limits.max_cell_chars})]) from None
        raise InputError([Problem(severity=Severity.ERROR, code="csv_syntax", file=source.name,
                                  row=len(rows) + 1, params={"detail": str(exc)})]) from None
    if text.count('"') % 2:  # a quote opened and never closed swallows the rows after it
        runaway = next((k for k, r in enumerate(rows) if any(c and "\n" in c for c in r)), None)
        if runaway is not None:
            raise InputError([Problem(severity=Severity.ERROR, code="unbalanced_quote",
                                      file=source.name, row=runaway + 1)])
    return Grid(source.name, "", rows)
