"""Reading and writing backlogs as tables (CSV and JSONL), never losing a row.

Rows are read as they are (CSV cells stay strings, JSON values keep their types) so that
every input column comes out untouched. Output files are written to a temporary file beside
the target and renamed into place only when complete.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from issuekind.errors import IssuekindError

FORMATS = ("csv", "jsonl")


def detect_format(path: str | Path, given: str | None = None) -> str:
    if given:
        if given not in FORMATS:
            raise IssuekindError("E401", f"unknown format '{given}'; use one of {', '.join(FORMATS)}.")
        return given
    suffixes = [s.lower() for s in Path(path).suffixes]
    if ".jsonl" in suffixes or ".ndjson" in suffixes:
        return "jsonl"
    if ".csv" in suffixes:
        return "csv"
    raise IssuekindError("E402", f"cannot tell the format of {path} from its name; "
                                 f"pass --format ({', '.join(FORMATS)}).")


class Table:
    """A backlog read from a file: its column names and its rows, in order."""

    def __init__(self, path: Path, fmt: str, columns: list[str], rows: list):
        self.path, self.format, self.columns, self.rows = path, fmt, columns, rows

    def texts(self, text_columns: list[str]) -> list[str]:
        """Each row's text: the text columns joined by newlines (title first)."""
        if self.format == "csv":
            idx = [self.columns.index(c) for c in text_columns]
            return ["\n".join(r[i] for i in idx if i < len(r) and r[i]) for r in self.rows]
        out = []
        for r in self.rows:
            parts = [r.get(c) for c in text_columns]
            out.append("\n".join(p if isinstance(p, str) else json.dumps(p) for p in parts
                                 if p not in (None, "")))
        return out


    def column(self, name: str) -> list:
        """The values of one column, in row order; an error naming the file if it is absent."""
        if name not in self.columns:
            raise IssuekindError("E307", f"{self.path}: no column '{name}'; columns are: "
                                         f"{', '.join(self.columns)}.")
        if self.format == "csv":
            i = self.columns.index(name)
            return [r[i] if i < len(r) else "" for r in self.rows]
        return [r.get(name) for r in self.rows]


def read_table(path: str | Path, fmt: str | None = None) -> Table:
    path = Path(path)
    if not path.is_file():
        raise IssuekindError("E301", f"input file {path} does not exist.")
    fmt = detect_format(path, fmt)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _read_csv(path, fh) if fmt == "csv" else _read_jsonl(path, fh)
    except UnicodeDecodeError as e:
        raise IssuekindError("E303", f"{path} is not UTF-8 text (byte {e.start}); "
                                     "convert it to UTF-8 first.") from None


def _read_csv(path: Path, fh) -> Table:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(fh)
    try:
        columns = next(reader)
    except StopIteration:
        raise IssuekindError("E304", f"{path} is empty: a CSV backlog needs a header row.") from None
    except csv.Error as e:
        raise IssuekindError("E305", f"{path}, line 1: unreadable CSV header ({e}).") from None
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as e:
        raise IssuekindError("E305", f"{path}, line {reader.line_num}: unreadable CSV row ({e}); "
                                     "fix the quoting of that row.") from None
    return Table(path, "csv", columns, rows)


def _read_jsonl(path: Path, fh) -> Table:
    rows, columns = [], {}
    for n, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise IssuekindError("E306", f"{path}, line {n}: not valid JSON ({e.msg}); "
                                         "each line must be one JSON object.") from None
        if not isinstance(obj, dict):
            raise IssuekindError("E306", f"{path}, line {n}: a {type(obj).__name__}, not a JSON "
                                         "object; each line must be one JSON object.")
        rows.append(obj)
        columns.update(dict.fromkeys(obj))
    return Table(path, "jsonl", list(columns), rows)


def resolve_text_columns(table: Table, wanted: list[str] | None) -> list[str]:
    """The columns holding the issue text: as given, else title+body, else text."""
    have = table.columns
    if wanted:
        missing = [c for c in wanted if c not in have]
        if missing:
            raise IssuekindError("E307", f"{table.path}: no column {', '.join(repr(m) for m in missing)}; "
                                         f"columns are: {', '.join(have)}. Pass --text-columns.")
        return wanted
    lower = {c.lower(): c for c in have}
    for choice in (["title", "body"], ["summary", "description"], ["title"], ["text"]):
        if all(c in lower for c in choice):
            return [lower[c] for c in choice]
    raise IssuekindError("E307", f"{table.path}: cannot find the text columns (looked for title/body "
                                 f"or text); columns are: {', '.join(have)}. Pass --text-columns.")


def write_table(table: Table, extra_columns: list[str], extra_rows: list[list],
                out: str | Path | None) -> None:
    """Write every row of ``table`` with ``extra_columns`` appended; atomically to ``out``,
    or to standard output when ``out`` is ``None``."""
    clash = [c for c in extra_columns if c in table.columns]
    if clash:
        raise IssuekindError("E308", f"{table.path} already has column(s) {', '.join(clash)}; "
                                     "rename them before labelling.")
    with atomic_output(out) as fh:
        if table.format == "csv":
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(table.columns + extra_columns)
            for row, extra in zip(table.rows, extra_rows):
                writer.writerow(row + extra)
        else:
            for row, extra in zip(table.rows, extra_rows):
                fh.write(json.dumps({**row, **dict(zip(extra_columns, extra))}, ensure_ascii=False))
                fh.write("\n")


def write_selection(table: Table, indices: list[int], extra: dict[str, list],
                    out: str | Path | None) -> None:
    """Write the rows at ``indices`` (in that order) as CSV, with every input column, the
    ``extra`` columns and an empty ``label`` column to fill in (unless the input has one)."""
    extra = dict(extra)
    if "label" not in table.columns:
        extra["label"] = [""] * len(indices)
    names = list(extra)
    with atomic_output(out) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(table.columns + names)
        for k, i in enumerate(indices):
            row = table.rows[i]
            if table.format == "jsonl":
                row = [v if isinstance(v, str) else json.dumps(v) if v is not None else ""
                       for v in (row.get(c) for c in table.columns)]
            writer.writerow(list(row) + [extra[n][k] for n in names])


@contextmanager
def atomic_output(out: str | Path | None) -> Iterator:
    """A text file handle whose content appears at ``out`` only when the block completes
    (standard output when ``out`` is ``None``)."""
    if out is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
