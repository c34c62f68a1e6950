"""The training corpus: public rows with our labels, and a fixed held-out split.

A corpus row keeps its provenance (source, key, text hash, and how its label was obtained),
so any figure measured on it can be traced back to the rows and rules behind it.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from dataclasses import dataclass

from issuekind.datasets.mapping import MAPPINGS, map_row
from issuekind.datasets.sources import SOURCES, resolve_data_dir
from issuekind.atomic import atomic_output

#: At most this many rows of one (source, label) pair, so that no big source drowns the rest.
CAP_PER_SOURCE_LABEL = 1200
SEED = 20261126


@dataclass(frozen=True)
class CorpusRow:
    source: str
    key: str
    sha256: str
    text: str
    label: str
    origin: str  # "mapped:<rule>" or "gold"


def mapped_rows(data_dir=None, sources=None, cap: int = CAP_PER_SOURCE_LABEL,
                seed: int = SEED) -> list[CorpusRow]:
    """Every public row that maps to one of our labels, capped per (source, label).

    Which rows a cap keeps is a seeded random choice, so the same data folder always gives
    the same corpus. Empty texts and repeated texts (same sha256) are left out.
    """
    root = resolve_data_dir(data_dir)
    groups: dict[tuple[str, str], list[CorpusRow]] = defaultdict(list)
    seen: set[str] = set()
    for name in sources or MAPPINGS:
        for row in SOURCES[name].rows(root):
            mapped = map_row(row)
            if mapped is None or not row.text.strip():
                continue
            digest = row.sha256
            if digest in seen:
                continue
            seen.add(digest)
            label, rule = mapped
            groups[(name, label)].append(CorpusRow(name, row.key, digest, row.text, label,
                                                   f"mapped:{rule}"))
    rng = random.Random(seed)
    out: list[CorpusRow] = []
    for group_key in sorted(groups):
        rows = groups[group_key]
        if len(rows) > cap:
            rows = rng.sample(rows, cap)
            rows.sort(key=lambda r: r.key)
        out.extend(rows)
    return out


def is_held_out(row: CorpusRow, fraction: float = 0.2) -> bool:
    """Whether a row belongs to the fixed held-out split.

    Decided by a hash of the row's source and key, not by position, so the split of a row
    never changes when other rows are added or removed.
    """
    h = hashlib.sha256(f"heldout:{row.source}:{row.key}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64 < fraction


def split(rows: list[CorpusRow], fraction: float = 0.2) -> tuple[list[CorpusRow], list[CorpusRow]]:
    """``(train, held_out)`` by :func:`is_held_out`."""
    train, test = [], []
    for r in rows:
        (test if is_held_out(r, fraction) else train).append(r)
    return train, test


def build_corpus(data_dir=None, gold_path=None, max_round: int | None = None) -> list[CorpusRow]:
    """The training corpus: our gold *train* rows, then every mapped public row that is not
    a gold row (neither by key nor by text). No text of a gold *test* row is ever in it, even
    where a source repeats that text under another key. ``max_round`` builds the corpus as
    it was after that labelling round."""
    from issuekind.datasets.annotations import GOLD, load_gold

    gold = load_gold(data_dir, gold_path or GOLD, strict=True, max_round=max_round)
    gold_keys = {(g.source, g.key) for g in gold.rows}
    gold_texts = {g.sha256 for g in gold.rows}
    test_texts = {g.sha256 for g in gold.split("test")}
    rows = [CorpusRow(g.source, g.key, g.sha256, g.text, g.label, "gold")
            for g in gold.split("train") if g.sha256 not in test_texts]
    rows += [r for r in mapped_rows(data_dir)
             if (r.source, r.key) not in gold_keys and r.sha256 not in gold_texts]
    return rows


def write_corpus(rows: list[CorpusRow], path) -> None:
    """Write a corpus as JSONL, one row per line, byte-for-byte the same for the same rows."""
    with atomic_output(path) as fh:
        for r in rows:
            fh.write(json.dumps({"source": r.source, "key": r.key, "sha256": r.sha256,
                                 "label": r.label, "origin": r.origin, "text": r.text},
                                ensure_ascii=False, sort_keys=True) + "\n")
