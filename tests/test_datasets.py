"""Loaders and label mappings on the real shared datasets (skipped where they are absent)."""

import shutil
from collections import Counter

import pytest

from issuekind.datasets.corpus import mapped_rows, split
from issuekind.datasets.mapping import MAPPINGS, map_row
from issuekind.datasets.sources import SOURCES, get_source
from issuekind.errors import IssuekindError
from issuekind.labels import LABELS


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_reads_with_unique_keys(shared_datasets, name):
    rows = list(SOURCES[name].rows(shared_datasets))
    assert rows and len({r.key for r in rows}) == len(rows)
    assert all(r.source == name and len(r.sha256) == 64 for r in rows)


def test_mappings_give_only_our_labels(shared_datasets):
    for name in MAPPINGS:
        for row in SOURCES[name].rows(shared_datasets):
            mapped = map_row(row)
            assert mapped is None or mapped[0] in LABELS


def test_mapping_follows_the_source_labels(shared_datasets):
    inex = {r.raw["label"]: map_row(r) for r in SOURCES["inex"].rows(shared_datasets)}
    assert inex["Extrinsic"][0] == "maintenance/adaptive"
    assert inex["Intrinsic"][0] == "maintenance/corrective"
    assert inex["Not a Bug"] is None


def test_corpus_is_deterministic_and_covers_every_label(shared_datasets):
    a, b = mapped_rows(shared_datasets), mapped_rows(shared_datasets)
    assert a == b
    assert set(Counter(r.label for r in a)) == set(LABELS)
    train, held_out = split(a)
    assert not {(r.source, r.key) for r in train} & {(r.source, r.key) for r in held_out}
    assert 0.15 < len(held_out) / len(a) < 0.25


def test_a_changed_source_file_is_refused(shared_datasets, tmp_path):
    src = get_source("hoenel-commits")
    copy = tmp_path / src.files[0].path
    copy.parent.mkdir(parents=True)
    shutil.copy(shared_datasets / src.files[0].path, copy)
    with open(copy, "a") as fh:
        fh.write("\n")
    with pytest.raises(IssuekindError, match="hoenel-commits.*sha256"):
        list(src.rows(tmp_path))


def test_a_missing_source_file_is_refused(tmp_path):
    with pytest.raises(IssuekindError, match="nlbse24.*missing"):
        list(get_source("nlbse24").rows(tmp_path))
