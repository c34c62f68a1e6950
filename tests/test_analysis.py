"""Evaluation reports, threshold tuning, what to label next, and drift."""

import re

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

import issuekind
from issuekind.cli.main import main
from conftest import SAMPLE


@pytest.fixture(scope="module")
def default_model():
    return issuekind.load()


def test_report_numbers_equal_scikit_learns(default_model, sample):
    texts, labels = sample
    report = issuekind.evaluate(default_model, texts, labels)
    predicted = default_model.predict(texts)
    order = report.scores["labels"]
    assert report.accuracy == round(accuracy_score(labels, predicted), 4)
    assert report.macro_f1 == round(f1_score(labels, predicted, average="macro", labels=order), 4)
    p, r, f, s = precision_recall_fscore_support(labels, predicted, labels=order, zero_division=0)
    for i, lab in enumerate(order):
        assert report.per_label[lab]["recall"] == round(r[i], 4)
        assert report.per_label[lab]["support"] == s[i]
    assert report.confusion == confusion_matrix(labels, predicted, labels=order).tolist()
    kinds = [y.split("/")[0] for y in labels]
    assert report.kind_accuracy == round(accuracy_score(kinds, [y.split("/")[0] for y in predicted]), 4)


def test_most_confident_mistakes_are_real_mistakes_in_order(default_model, sample):
    texts, labels = sample
    report = issuekind.evaluate(default_model, texts, labels)
    assert report.mistakes and all(m["true"] != m["predicted"] for m in report.mistakes)
    confidences = [m["confidence"] for m in report.mistakes]
    assert confidences == sorted(confidences, reverse=True)
    assert report.coverage[0][1] == 1.0  # threshold 0 keeps everything


def test_html_report_holds_both_images(default_model, sample, tmp_path):
    texts, labels = sample
    page = issuekind.evaluate(default_model, texts, labels).to_html(tmp_path / "r.html").read_text()
    images = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert [alt for alt, _ in images] == ["confusion matrix", "coverage versus accuracy"]
    assert all(len(data) > 1000 for _, data in images)


def test_thresholds_reach_the_target_and_classify_uses_them(sample):
    texts, labels = sample
    clf = issuekind.IssueClassifier(min_df=1, calibration_folds=0).fit(texts[::2], labels[::2])
    results = issuekind.tune_thresholds(clf, texts, labels, target_precision=0.8, min_predictions=2)
    predictions = clf.classify(texts)
    proba = clf.predict_proba(texts)
    best = [clf.classes_[i] for i in proba.argmax(axis=1)]
    for label, res in results.items():
        applied = [p.label == label for p in predictions]
        if res.threshold is None:
            assert not any(applied)
            continue
        # on the tuning data, the labels applied reach the target precision
        hits = [y == label for y, a in zip(labels, applied) if a]
        assert hits and np.mean(hits) >= 0.8
        # and exactly the predictions at or above the threshold are applied
        expected = [b == label and c >= res.threshold for b, c in zip(best, proba.max(axis=1))]
        assert applied == expected
    assert any(r.threshold is not None for r in results.values())


def test_thresholds_are_kept_by_save_and_used_by_label(small_model, sample, tmp_path, monkeypatch):
    import copy

    texts, labels = sample
    clf = copy.deepcopy(small_model)
    issuekind.tune_thresholds(clf, texts, labels, target_precision=0.9)
    folder = issuekind.save(clf, "tuned", "1.0.0", home=tmp_path)
    again = issuekind.load_model(folder)
    assert again.thresholds_ == clf.thresholds_
    assert [p.label for p in again.classify(texts)] == [p.label for p in clf.classify(texts)]
    monkeypatch.setenv("ISSUEKIND_HOME", str(tmp_path))
    out = tmp_path / "o.csv"
    assert main(["label", str(SAMPLE), "-o", str(out), "--model", "tuned"]) == 0
    import csv

    with open(out, encoding="utf-8", newline="") as fh:
        written = [r["label"] for r in csv.DictReader(fh)]
    assert written == [p.label or "" for p in clf.classify(texts)]


def test_suggest_prefers_uncertain_rows_and_skips_duplicates(default_model, sample):
    texts, _ = sample
    pool = texts + texts[:10] + ["", "   "]
    picks = issuekind.suggest(default_model, pool, n=20)
    assert len(picks) == 20
    chosen = [p["text"] for p in picks]
    assert len(set(chosen)) == len(chosen) and "" not in chosen
    margins = [p["margin"] for p in picks]
    assert margins == sorted(margins)
    proba = default_model.predict_proba(texts)
    top2 = np.sort(proba, axis=1)[:, -2:]
    all_margins = top2[:, 1] - top2[:, 0]
    assert picks[0]["margin"] == pytest.approx(all_margins.min())
    assert np.median(margins) <= np.median(all_margins)


def test_compare_flags_a_changed_label_mix_only(default_model, sample):
    texts, labels = sample
    bugs = [t for t, y in zip(texts, labels) if y == "maintenance/corrective"]
    questions = [t for t, y in zip(texts, labels) if y == "support/l1"]
    assert issuekind.compare(default_model, bugs, questions).drifted
    same = issuekind.compare(default_model, texts, list(reversed(texts)))
    assert not same.drifted and same.label_shift == pytest.approx(0.0)
    assert set(same.label_mix) == set(default_model.classes_)


def test_evaluate_and_suggest_commands(tmp_path, capsys):
    html = tmp_path / "report.html"
    assert main(["evaluate", str(SAMPLE), "--label-column", "expected_label", "--html", str(html)]) == 0
    assert "macro-F1" in capsys.readouterr().out and html.is_file()
    out = tmp_path / "next.csv"
    assert main(["suggest", str(SAMPLE), "-n", "5", "-o", str(out)]) == 0
    import csv

    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 and all(r["label"] == "" and r["predicted"] for r in rows)
