import pytest

import issuekind
from issuekind.datasets.annotations import read_annotations
from issuekind.labels import LABELS
from issuekind.storage.registry import find_model

from conftest import sample_rows


def test_default_model_labels_a_crash_as_corrective():
    clf = issuekind.load()
    assert clf.predict(["App crashes with NullPointerException when saving a file"]) == [
        "maintenance/corrective"]


def test_default_model_carries_its_card():
    m = issuekind.load("default", "1.0.0").manifest_
    assert m["name"] == "default" and m["version"] == "1.0.0"
    assert m["labels"] == list(LABELS)
    assert {"scikit-learn", "spacy", "numpy"} <= set(m["library_versions"])
    assert m["sources"] and all(s["licence"] and s["rows"] > 0 for s in m["sources"])
    held_out = m["metrics"]["held_out"]
    assert held_out["n"] > 1000 and 0 < held_out["macro_f1"] <= 1


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.6.0",
                                     "1.7.0", "1.8.0"])
def test_default_models_are_small_and_plain_data(version):
    folder = find_model("default", version)
    files = {p.name: p.stat().st_size for p in folder.iterdir()}
    assert set(files) == {"manifest.json", "features.json", "weights.npz", "README.md"}
    assert sum(files.values()) < 20 * 2**20


@pytest.mark.parametrize("version, rounds", [("1.1.0", 4), ("1.2.0", 10), ("1.3.0", 11), ("1.4.0", 12),
                                            ("1.5.0", 16), ("1.6.0", 20), ("1.7.0", 22),
                                            ("1.8.0", 35)])
def test_gold_models_are_scored_on_the_gold_test_rows_of_their_rounds(version, rounds):
    m = issuekind.load("default", version).manifest_
    assert m["training"]["gold_rows"] > 3000 and m["training"]["mapped_row_weight"] < 1
    assert "gold test split" in m["metrics"]["scored_on"]
    test = [r for r in read_annotations() if r["split"] == "test" and int(r["round"]) <= rounds]
    assert m["metrics"]["held_out"]["n"] == len(test)
    assert any(s["gold_rows"] for s in m["sources"])


def test_newest_default_is_1_8_reading_1500_characters_with_the_issue_tokenizer():
    clf = issuekind.load()
    assert clf.manifest_["version"] == "1.8.0" and clf.tokenizer == "issue"
    assert clf.max_chars == clf.manifest_["params"]["max_chars"] == 1500


@pytest.mark.parametrize("version, tokenizer, max_chars", [
    ("1.0.0", "spacy-en", 20_000), ("1.1.0", "spacy-en", 20_000), ("1.2.0", "issue", 4_000)])
def test_models_saved_before_max_chars_read_what_they_were_trained_on(version, tokenizer, max_chars):
    clf = issuekind.load("default", version)
    assert "max_chars" not in clf.manifest_["params"]
    assert (clf.tokenizer, clf.max_chars) == (tokenizer, max_chars)


def test_name_with_version_selects_that_version():
    assert issuekind.load("default==1.0.0").manifest_["version"] == "1.0.0"


def test_sample_backlog_covers_every_label():
    rows = sample_rows()
    assert len(rows) >= 40
    assert {r["expected_label"] for r in rows} == set(LABELS)
    assert len({r["id"] for r in rows}) == len(rows)


def test_default_model_on_our_sample_backlog_beats_chance():
    rows = sample_rows()
    clf = issuekind.load()
    predicted = clf.predict([r["title"] + "\n" + r["body"] for r in rows])
    kinds = sum(p.split("/")[0] == r["expected_label"].split("/")[0] for p, r in zip(predicted, rows))
    assert kinds / len(rows) > 0.75
