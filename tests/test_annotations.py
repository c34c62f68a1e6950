"""Our gold labels: valid, joined to the right texts, and kept out of training when test."""

import csv
from collections import Counter

import pytest

from issuekind.cli.main import main
from issuekind.datasets.annotations import GOLD, GOLD_COLUMNS, load_gold, read_annotations
from issuekind.datasets.corpus import build_corpus
from issuekind.errors import IssuekindError
from issuekind.labels import LABELS


def test_every_annotation_label_is_one_of_the_seven():
    records = read_annotations()
    assert {r["label"] for r in records} == set(LABELS)
    counts = Counter(r["label"] for r in records)
    assert all(counts[label] >= 300 for label in LABELS), counts


def test_fixed_test_split_is_about_thirty_percent_of_each_label():
    records = read_annotations()
    for label in LABELS:
        rows = [r for r in records if r["label"] == label]
        share = sum(r["split"] == "test" for r in rows) / len(rows)
        assert 0.27 < share < 0.33, (label, share)


def test_annotations_store_no_text():
    with open(GOLD, encoding="utf-8") as fh:
        assert max(len(line) for line in fh) < 400


def _write_gold(path, records):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=GOLD_COLUMNS)
        w.writeheader()
        w.writerows(records)


def test_loader_joins_every_gold_row_to_its_text(shared_datasets):
    gold = load_gold(shared_datasets)
    assert gold.problems == [] and len(gold.rows) == len(read_annotations())
    assert all(g.text for g in gold.rows)


def test_loader_reports_a_changed_text(shared_datasets, tmp_path):
    records = read_annotations()[:3]
    records[1] = {**records[1], "sha256": "0" * 64}
    path = tmp_path / "gold.csv"
    _write_gold(path, records)
    gold = load_gold(shared_datasets, path)
    assert len(gold.rows) == 2
    assert gold.problems == [(records[1]["source"], records[1]["key"],
                              "text changed since it was labelled (sha256 differs)")]
    with pytest.raises(IssuekindError, match="1 annotation.*sha256 differs"):
        load_gold(shared_datasets, path, strict=True)


def test_loader_refuses_a_missing_source(tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(IssuekindError, match=r"source '\w[\w-]*': file .* is missing"):
        load_gold(tmp_path / "data")


def test_corpus_build_is_byte_for_byte_deterministic(shared_datasets, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert main(["datasets", "build", "-o", str(a), "--data-dir", str(shared_datasets)]) == 0
    assert main(["datasets", "build", "-o", str(b), "--data-dir", str(shared_datasets)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_gold_test_texts_never_reach_the_training_corpus(shared_datasets):
    test = load_gold(shared_datasets).split("test")
    rows = build_corpus(shared_datasets)
    assert not {g.sha256 for g in test} & {r.sha256 for r in rows}
    assert {r.origin for r in rows if r.origin == "gold"} == {"gold"}
    assert all(r.origin == "gold" or r.origin.startswith("mapped:") for r in rows)


def test_datasets_list_names_every_source(capsys, shared_datasets):
    assert main(["datasets", "list", "--data-dir", str(shared_datasets)]) == 0
    out = capsys.readouterr().out
    assert "nlbse24" in out and "licence: MIT" in out and "checksums ok" in out


def test_rounds_rebuild_the_corpus_an_older_model_was_trained_on(shared_datasets):
    records = read_annotations()
    rounds = Counter(int(r["round"]) for r in records)
    assert min(rounds) == 1 and sum(rounds[r] for r in range(1, 5)) == 6723  # as model 1.1 saw
    old = load_gold(shared_datasets, max_round=4)
    assert len(old.rows) == 6723 and {g.round for g in old.rows} == {1, 2, 3, 4}
    assert sum(g.split == "test" for g in old.rows) == 2019
    corpus = build_corpus(shared_datasets, max_round=4)
    assert sum(r.origin == "gold" for r in corpus) < sum(g.split == "train" for g in old.rows) + 1


def test_a_round_must_be_a_whole_number(tmp_path):
    records = read_annotations()[:2]
    records[0] = {**records[0], "round": "first"}
    path = tmp_path / "gold.csv"
    _write_gold(path, records)
    with pytest.raises(IssuekindError, match="line 2: round must be a whole number"):
        read_annotations(path)
