"""Our own gold labels on real rows of the public datasets, joined back to their texts.

``datasets/annotations/gold.csv`` holds, per row: source, key, the sha256 of the exact text
that was read, our label, the fixed split (``train`` or ``test``), the labelling round it
came from (1, 2, ...; a model recipe names the last round it trains on, so adding rounds never
changes an old model) and a note for hard cases. It never holds the text: :func:`load_gold` reads the texts from the data folder and
reports every row whose text no longer matches the hash that was labelled.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from issuekind.datasets.sources import get_source, resolve_data_dir
from issuekind.errors import IssuekindError
from issuekind.labels import LABELS

def _annotations_dir() -> Path:
    package = Path(__file__).resolve().parents[1]
    bundled = package / "annotations"  # inside an installed wheel
    return bundled if bundled.is_dir() else package.parents[1] / "datasets" / "annotations"


GOLD = _annotations_dir() / "gold.csv"
GOLD_COLUMNS = ["source", "key", "sha256", "label", "split", "round", "note"]


@dataclass(frozen=True)
class GoldRow:
    source: str
    key: str
    sha256: str
    label: str
    split: str
    note: str
    text: str = field(default="", compare=False)
    round: int = 1


@dataclass
class GoldSet:
    rows: list[GoldRow]
    #: (source, key, reason) of annotations whose text could not be joined.
    problems: list[tuple[str, str, str]]

    def split(self, name: str) -> list[GoldRow]:
        return [r for r in self.rows if r.split == name]


def read_annotations(path: str | Path = GOLD) -> list[dict]:
    """The annotation records as stored, validated (no texts)."""
    path = Path(path)
    if not path.is_file():
        raise IssuekindError("E110", f"annotation file {path} is missing.")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != GOLD_COLUMNS:
            raise IssuekindError("E111", f"{path}: columns must be {','.join(GOLD_COLUMNS)}, "
                                         f"found {','.join(reader.fieldnames or [])}.")
        records = list(reader)
    for n, r in enumerate(records, start=2):
        if r["label"] not in LABELS:
            raise IssuekindError("E112", f"{path}, line {n}: label '{r['label']}' is not one of "
                                         f"the seven labels of LABELING.md.")
        if r["split"] not in ("train", "test"):
            raise IssuekindError("E112", f"{path}, line {n}: split must be train or test.")
        if not r["round"].isdigit() or int(r["round"]) < 1:
            raise IssuekindError("E112", f"{path}, line {n}: round must be a whole number from 1.")
    return records


def load_gold(data_dir=None, path: str | Path = GOLD, strict: bool = False,
              max_round: int | None = None) -> GoldSet:
    """Join our labels back to their texts from the data folder.

    ``max_round`` keeps only the rows of labelling rounds up to that one.

    A missing source file or one whose checksum differs raises :class:`IssuekindError`.
    Rows whose key is gone or whose text no longer hashes to the labelled sha256 are left
    out and listed in ``problems``; with ``strict`` they raise instead.
    """
    root = resolve_data_dir(data_dir)
    records = read_annotations(path)
    if max_round is not None:
        records = [r for r in records if int(r["round"]) <= max_round]
    wanted: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in records:
        wanted[r["source"]][r["key"]] = r
    rows, problems = [], []
    for source, by_key in sorted(wanted.items()):
        found = {}
        for row in get_source(source).rows(root):
            if row.key in by_key:
                found[row.key] = row
        for key, r in by_key.items():
            row = found.get(key)
            if row is None:
                problems.append((source, key, "no row with this key in the source"))
            elif row.sha256 != r["sha256"]:
                problems.append((source, key, "text changed since it was labelled (sha256 differs)"))
            else:
                rows.append(GoldRow(source, key, r["sha256"], r["label"], r["split"], r["note"],
                                    row.text, int(r["round"])))
    if strict and problems:
        first = "; ".join(f"{s} {k}: {why}" for s, k, why in problems[:5])
        raise IssuekindError("E113", f"{len(problems)} annotation(s) do not match the data folder "
                                     f"{root}: {first}")
    rows.sort(key=lambda g: (g.source, g.key))
    return GoldSet(rows, problems)
