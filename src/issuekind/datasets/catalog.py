"""What `issuekind datasets list` shows: each source, its licence, rows and mapping."""

from __future__ import annotations

from collections import Counter

from issuekind.datasets.annotations import read_annotations
from issuekind.datasets.mapping import SUMMARIES
from issuekind.datasets.sources import SOURCES, default_data_dir, resolve_data_dir
from issuekind.errors import IssuekindError


def describe_sources(data_dir=None) -> list[str]:
    """One block of lines per source. Row counts are read from the data folder when it is
    there (checking each file's checksum); otherwise the status says why not."""
    gold = Counter(r["source"] for r in read_annotations())
    try:
        root = resolve_data_dir(data_dir)
    except IssuekindError:
        root = None
    lines = [f"data folder: {root or default_data_dir() or '(not found)'}", ""]
    for name, src in SOURCES.items():
        if root is None:
            status = "data folder not found"
        else:
            try:
                status = f"{sum(1 for _ in src.rows(root))} rows, checksums ok"
            except IssuekindError as e:
                status = f"unavailable: {e.message}"
        lines += [f"{name}  ({src.unit}s; licence: {src.licence})",
                  f"    origin:  {src.origin}",
                  f"    rows:    {status}; {gold.get(name, 0)} with our gold labels",
                  f"    mapping: {SUMMARIES.get(name, 'not mapped (gold labels only)')}", ""]
    return lines
