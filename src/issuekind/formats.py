"""Backlog file formats: read rows in chunks, write them back with columns added.

Readers yield :class:`Record` chunks, so a file of any size is read with bounded memory
(except a GitHub export, which is one JSON array and is read whole). A record keeps its
row exactly as read (CSV cells stay strings, JSON values keep their types, bytes that are
not UTF-8 are carried through unchanged) plus the issue text and, for a row that cannot be
labelled, why not.

| format | read as | text columns by default |
|---|---|---|
| ``csv`` | rows of cells, header first | title+body, summary+description, title, text |
| ``jira`` | a Jira CSV export (repeated column names kept) | Summary+Description |
| ``jsonl`` | one JSON object per line | as csv |
| ``github`` | the JSON array GitHub's REST API returns for issues | title+body |
| ``parquet`` | record batches | as csv |
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from issuekind.errors import IssuekindError

FORMATS = ("csv", "jira", "jsonl", "github", "parquet")
OUTPUT_FORMATS = ("csv", "jsonl", "parquet")
_DEFAULT_TEXT = (["title", "body"], ["summary", "description"], ["title"], ["text"])

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class Record:
    row: list | dict   # the row as read
    text: str          # title first, then the other text columns, joined by newlines
    error: str = ""    # why this row cannot be labelled, or ""
    raw: str | None = None  # a CSV row's own text, without its line end (written back as is)


def detect_format(path: str | Path, given: str | None = None) -> str:
    """The format of ``path``: as given, else from its name and first bytes."""
    if given:
        if given not in FORMATS:
            raise IssuekindError("E401", f"unknown format '{given}'; use one of {', '.join(FORMATS)}.")
        return given
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    if ".parquet" in suffixes:
        return "parquet"
    if ".jsonl" in suffixes or ".ndjson" in suffixes:
        return "jsonl"
    if ".json" in suffixes:
        return "github"
    if ".csv" in suffixes:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            header = next(csv.reader(fh), [])
        return "jira" if {"Summary", "Issue key"} <= set(header) else "csv"
    raise IssuekindError("E402", f"cannot tell the format of {path} from its name; "
                                 f"pass --format ({', '.join(FORMATS)}).")


def output_format(path: str | Path | None, input_format: str) -> str:
    if path is not None:
        suffixes = [s.lower() for s in Path(path).suffixes]
        for fmt in OUTPUT_FORMATS:
            if f".{fmt}" in suffixes:
                return fmt
    return {"github": "jsonl", "jira": "csv"}.get(input_format, input_format)


class Reader:
    """Open a backlog file and read its records in chunks."""

    def __init__(self, path: str | Path, fmt: str | None = None, text_columns: list[str] | None = None):
        self.path = Path(path)
        if not self.path.is_file():
            raise IssuekindError("E301", f"input file {self.path} does not exist.")
        self.format = detect_format(self.path, fmt)
        self.columns = self._read_columns()
        self.text_columns = self._resolve(text_columns)

    # -- columns --------------------------------------------------------------------------

    def _read_columns(self) -> list[str]:
        if self.format in ("csv", "jira"):
            with self._open_text() as fh:
                try:
                    return next(csv.reader(fh))
                except StopIteration:
                    raise IssuekindError("E304", f"{self.path} is empty: a CSV backlog needs a "
                                                 "header row.") from None
        if self.format == "parquet":
            return list(_parquet().ParquetFile(self.path).schema_arrow.names)
        if self.format == "github":
            self._items = _read_github(self.path)
            return list(dict.fromkeys(k for item in self._items for k in item))
        return self._jsonl_columns()

    def _jsonl_columns(self, sample: int = 1000) -> list[str]:
        columns: dict = {}
        with self._open_text() as fh:
            for n, line in enumerate(fh):
                if n >= sample:
                    break
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if isinstance(obj, dict):
                    columns.update(dict.fromkeys(obj))
        return list(columns)

    def _resolve(self, wanted: list[str] | None) -> list[str]:
        have = self.columns
        if wanted:
            missing = [c for c in wanted if c not in have]
            if missing and self.format != "jsonl":
                raise IssuekindError("E307", f"{self.path}: no column "
                                             f"{', '.join(repr(m) for m in missing)}; columns are: "
                                             f"{', '.join(have)}. Pass --text-columns.")
            return wanted
        lower = {c.lower(): c for c in reversed(have)}  # first of repeated names wins
        for choice in _DEFAULT_TEXT:
            if all(c in lower for c in choice):
                return [lower[c] for c in choice]
        raise IssuekindError("E307", f"{self.path}: cannot find the text columns (looked for "
                                     f"title/body, summary/description or text); columns are: "
                                     f"{', '.join(have)}. Pass --text-columns.")

    def estimated_rows(self) -> int | None:
        """About how many rows the file holds, for progress display (a quick line count)."""
        if self.format == "parquet":
            return _parquet().ParquetFile(self.path).metadata.num_rows
        if self.format == "github":
            return len(self._items)
        lines = 0
        with open(self.path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 22), b""):
                lines += block.count(b"\n")
        return max(lines - (1 if self.format in ("csv", "jira") else 0), 0)

    def records(self) -> list[Record]:
        """Every record of the file, in order."""
        return [r for chunk in self.chunks(4096) for r in chunk]

    def values(self, records: list[Record], column: str) -> list:
        """One column's value in each record; an error naming the file if the column is absent."""
        if column not in self.columns:
            raise IssuekindError("E307", f"{self.path}: no column '{column}'; columns are: "
                                         f"{', '.join(self.columns)}.")
        i = self.columns.index(column)
        return [(r.row[i] if i < len(r.row) else "") if isinstance(r.row, list) else r.row.get(column)
                for r in records]

    # -- records --------------------------------------------------------------------------

    def chunks(self, size: int) -> Iterator[list[Record]]:
        reader = {"csv": self._csv, "jira": self._csv, "jsonl": self._jsonl,
                  "github": self._github, "parquet": self._parquet}[self.format]
        chunk: list[Record] = []
        for record in reader():
            chunk.append(record)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _open_text(self):
        # surrogateescape: bytes that are not UTF-8 survive the round trip unchanged
        return open(self.path, encoding="utf-8-sig", errors="surrogateescape", newline="")

    def _csv(self) -> Iterator[Record]:
        idx = [self.columns.index(c) for c in self.text_columns]
        width = len(self.columns)
        with self._open_text() as fh:
            lines = _LinesRead(fh)
            reader = csv.reader(lines.lines)
            next(reader)
            lines.take()
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as e:
                    raise IssuekindError("E305", f"{self.path}, line {reader.line_num}: unreadable "
                                                 f"CSV ({e}); fix the quoting of that row.") from None
                raw = lines.take()
                text = "\n".join(row[i] for i in idx if i < len(row) and row[i].strip())
                if len(row) != width:
                    yield Record(row, text, f"row has {len(row)} fields, the header has {width}")
                else:
                    yield _checked(Record(row, text, raw=raw))

    def _jsonl(self) -> Iterator[Record]:
        with self._open_text() as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as e:
                    yield Record({"line": n, "raw": line.rstrip("\r\n")}, "", f"line {n}: not valid JSON ({e})")
                    continue
                if not isinstance(obj, dict):
                    yield Record({"line": n, "raw": line.rstrip("\r\n")}, "",
                                 f"line {n}: a JSON {type(obj).__name__}, not an object")
                    continue
                yield _checked(Record(obj, _text_of(obj, self.text_columns)))

    def _github(self) -> Iterator[Record]:
        for item in self._items:
            yield _checked(Record(item, _text_of(item, self.text_columns)))

    def _parquet(self) -> Iterator[Record]:
        pf = _parquet().ParquetFile(self.path)
        for batch in pf.iter_batches(batch_size=4096):
            for obj in batch.to_pylist():
                yield _checked(Record(obj, _text_of(obj, self.text_columns)))


class _LinesRead:
    """The lines of a text file, as ``csv.reader`` asks for them, remembering those handed
    out since the last :meth:`take`: the text of the row just read, exactly as in the file."""

    def __init__(self, fh):
        self._lines: list[str] = []
        self.lines = self._feed(fh)

    def _feed(self, fh):
        keep = self._lines.append
        for line in fh:
            keep(line)
            yield line

    def take(self) -> str:
        """The lines handed out since the last call, joined, without the last line end."""
        text = "".join(self._lines)
        self._lines.clear()
        return text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith(("\n", "\r")) else text


def _write_surrogates(err: UnicodeEncodeError) -> tuple[bytes | str, int]:
    """Encoding errors when writing: a byte that was not UTF-8 in the input (read with
    ``surrogateescape``) is written back as that byte; any other lone surrogate (from a
    JSON escape such as ``\\ud800``) as the escape's text, so no row makes the run fail."""
    c = err.object[err.start]
    if "\udc80" <= c <= "\udcff":
        return bytes([ord(c) - 0xDC00]), err.start + 1
    return f"\\u{ord(c):04x}", err.start + 1


_SURROGATES = "issuekind-surrogates"
codecs.register_error(_SURROGATES, _write_surrogates)


def _utf8_text(text: str) -> str:
    """``text``, with what cannot be UTF-8 written as escapes (``\\xe9``, ``\\ud800``)."""
    if _is_utf8(text):
        return text
    return text.encode("utf-8", _SURROGATES).decode("utf-8", "backslashreplace")


def _checked(record: Record) -> Record:
    if not record.error:
        if not record.text.strip():
            record.error = "empty text"
        elif not _is_utf8(record.text):
            record.error = "text is not valid UTF-8"
    return record


def _is_utf8(text: str) -> bool:
    """False for a text holding lone surrogates: bytes that were not UTF-8, read with
    ``errors="surrogateescape"`` (or a JSON ``\\udXXX`` escape). Encoding is a fast test."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text_of(obj: dict, columns: list[str]) -> str:
    parts = []
    for c in columns:
        v = obj.get(c)
        if v is None or v == "":
            continue
        parts.append(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
    return "\n".join(parts)


def _read_github(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as fh:
            items = json.load(fh)
    except ValueError as e:
        raise IssuekindError("E309", f"{path}: not a GitHub issues export ({e}); it must be the "
                                     "JSON array the REST API returns.") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise IssuekindError("E309", f"{path}: not a GitHub issues export; expected a JSON array "
                                     "of issue objects.")
    return items


def _parquet():
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise IssuekindError("E403", "Parquet needs pyarrow: pip install \"issuekind[parquet]\".") from None
    return pq


class Writer:
    """Write records with the added columns, in ``fmt``, to an open binary file."""

    def __init__(self, fh, fmt: str, reader: Reader, extra_columns: list[str]):
        self.fh, self.format, self.reader, self.extra = fh, fmt, reader, extra_columns
        clash = [c for c in extra_columns if c in reader.columns]
        if clash:
            raise IssuekindError("E308", f"{reader.path} already has column(s) {', '.join(clash)}; "
                                         "rename them before labelling.")
        self._parquet_writer = None
        self.columns = _unique(reader.columns)
        if fmt == "csv":
            self.text = io.TextIOWrapper(fh, encoding="utf-8", errors=_SURROGATES,
                                         newline="", write_through=True)
            self.csv = csv.writer(self.text, lineterminator="\n")

    def header(self) -> None:
        if self.format == "csv":
            self.csv.writerow(self.reader.columns + self.extra)

    def write(self, records: list[Record], extras: list[list]) -> None:
        if self.format == "csv":
            # A CSV row read whole is written back as it was read, with the new cells after
            # it: cheaper than quoting its cells again, and true to the file byte for byte.
            out = []
            for rec, ext in zip(records, extras):
                if rec.raw is None:
                    if out:
                        self.text.write("".join(out))
                        out.clear()
                    self.csv.writerow(self._as_list(rec.row) + ext)
                else:
                    out.append(f"{rec.raw},{_csv_cells(ext)}\n")
            self.text.write("".join(out))
        elif self.format == "jsonl":
            lines = [json.dumps({**self._as_dict(rec.row), **dict(zip(self.extra, ext))},
                                ensure_ascii=False) for rec, ext in zip(records, extras)]
            self.fh.write(("\n".join(lines) + "\n").encode("utf-8", _SURROGATES))
        else:
            self._write_parquet(records, extras)

    def _as_list(self, row) -> list:
        if isinstance(row, list):
            return row
        return [v if isinstance(v, str) else "" if v is None else json.dumps(v, ensure_ascii=False)
                for v in (row.get(c) for c in self.reader.columns)]

    def _as_dict(self, row) -> dict:
        if isinstance(row, dict):
            return row
        return dict(zip(self.columns, row))

    def _write_parquet(self, records, extras) -> None:
        import pyarrow as pa

        rows = [{**self._as_dict(rec.row), **dict(zip(self.extra, ext))}
                for rec, ext in zip(records, extras)]
        if self._parquet_writer is None:
            if self.reader.format == "parquet":
                base = _parquet().ParquetFile(self.reader.path).schema_arrow
            else:
                base = pa.schema([(c, pa.string()) for c in self.columns])
            schema = base
            for c in self.extra:
                schema = schema.append(pa.field(c, pa.string()))
            self._schema = schema
            self._parquet_writer = _parquet().ParquetWriter(self.fh, schema)
        if self.reader.format != "parquet":
            # Parquet strings must be UTF-8: a cell with bytes that were not (or a lone
            # surrogate) keeps them as escapes (\xe9, \ud800) instead of failing the run.
            rows = [{k: (_utf8_text(v) if isinstance(v, str) else v if v is None else json.dumps(v))
                     for k, v in r.items()} for r in rows]
        self._parquet_writer.write_table(pa.Table.from_pylist(rows, schema=self._schema))

    def close(self) -> None:
        if self._parquet_writer is not None:
            self._parquet_writer.close()
        if self.format == "csv":
            self.text.flush()
            self.text.detach()


_NEEDS_QUOTES = re.compile(r'[",\r\n]').search


def _csv_cells(cells: list[str]) -> str:
    """Cells as one CSV line (no line end), quoted only where needed: a cell holding a comma,
    a quote or a line break, and a lone empty cell (which ``csv.writer`` writes as "")."""
    if _NEEDS_QUOTES("".join(cells)) is None:
        return ",".join(cells) if cells != [""] else '""'
    return ",".join('"' + c.replace('"', '""') + '"' if _NEEDS_QUOTES(c) else c for c in cells)


def _unique(names: list[str]) -> list[str]:
    """Column names made unique for formats keyed by name (Jira repeats some): x, x.1, x.2."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        out.append(n if k == 0 else f"{n}.{k}")
        seen[n] = k + 1
    return out
