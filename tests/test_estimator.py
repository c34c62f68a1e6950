import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks as checks

from issuekind import IssueClassifier
from issuekind.labels import kind_of


@pytest.mark.parametrize("check", [
    checks.check_no_attributes_set_in_init,
    checks.check_get_params_invariance,
    checks.check_set_params,
])
def test_scikit_learn_contract_checks(check):
    check("IssueClassifier", IssueClassifier())


def test_default_constructible():
    checks.check_parameters_default_constructible("IssueClassifier", IssueClassifier())


def test_clone_keeps_params_and_drops_state(small_model):
    c = clone(small_model)
    assert c.get_params() == small_model.get_params()
    assert not hasattr(c, "classes_")


def test_predict_proba_columns_follow_classes(small_model, sample):
    texts, labels = sample
    proba = small_model.predict_proba(texts)
    assert proba.shape == (len(texts), len(small_model.classes_))
    assert np.allclose(proba.sum(axis=1), 1.0)
    predicted = small_model.predict(texts)
    assert predicted == [small_model.classes_[i] for i in proba.argmax(axis=1)]
    assert small_model.score(texts, labels) > 0.9  # it has seen these texts


def test_kind_probability_is_the_sum_of_its_leaves(small_model, sample):
    texts, _ = sample
    proba = small_model.predict_proba(texts[:5])
    kproba = small_model.predict_kind_proba(texts[:5])
    for k, kind in enumerate(small_model.kinds_):
        cols = [i for i, c in enumerate(small_model.classes_) if kind_of(c) == kind]
        assert np.allclose(kproba[:, k], proba[:, cols].sum(axis=1))
    for p in small_model.classify(texts[:5]):
        assert p.kind == kind_of(p.label)


def test_accepts_pandas_series(small_model, sample):
    texts, _ = sample
    assert small_model.predict(pd.Series(texts[:3])) == small_model.predict(texts[:3])


def test_works_in_pipeline_cross_val_and_grid_search(sample):
    texts, labels = sample
    pipe = Pipeline([("strip", FunctionTransformer(lambda xs: [x.strip() for x in xs])),
                     ("clf", IssueClassifier(min_df=1, calibration_folds=0))])
    scores = cross_val_score(pipe, texts, labels, cv=2)
    assert scores.shape == (2,) and np.all(scores >= 0)
    grid = GridSearchCV(IssueClassifier(min_df=1, calibration_folds=0),
                        {"title_features": [True, False], "C": [1.0, 10.0]}, cv=2)
    grid.fit(texts, labels)
    assert grid.best_params_["C"] in (1.0, 10.0)


def test_any_string_labels_work():
    texts = ["slow page load", "page takes ages", "typo in footer", "footer has a typo"]
    clf = IssueClassifier(min_df=1, calibration_folds=0).fit(texts, ["perf", "perf", "text", "text"])
    assert clf.kinds_ == ["perf", "text"]
    assert clf.predict(["the page load is slow"]) == ["perf"]
    assert clf.classify(["typo in the footer"])[0].kind == "text"


def test_empty_and_unknown_text_cannot_tell(small_model):
    for p in small_model.classify(["", "   ", "qqqzx vvvwk", None]):
        assert p.label is None and p.kind is None and p.cannot_tell and p.terms == []


def test_threshold_turns_low_confidence_into_cannot_tell(small_model, sample):
    texts, _ = sample
    confident = small_model.classify(texts[:10], threshold=0.0)
    assert all(p.label is not None for p in confident)
    strict = small_model.classify(texts[:10], threshold=1.01)
    assert all(p.label is None for p in strict)
    assert [p.confidence for p in strict] == [p.confidence for p in confident]
    small = clone(small_model).set_params(threshold=1.01)
    assert small.get_params()["threshold"] == 1.01


def test_terms_explain_the_label(small_model):
    [p] = small_model.classify(["Add tests for the WKT parser and raise coverage"])
    assert p.terms and all(isinstance(t, str) for t in p.terms)


def test_bad_input_is_rejected_with_a_clear_message():
    clf = IssueClassifier(min_df=1, calibration_folds=0)
    with pytest.raises(ValueError, match="not one string"):
        clf.fit("one text", ["a"])
    with pytest.raises(ValueError, match="2 texts but y has 1"):
        clf.fit(["a", "b"], ["x"])
    with pytest.raises(ValueError, match="at least two different labels"):
        clf.fit(["a b", "a c"], ["x", "x"])


def test_both_tokenizers_work_and_an_unknown_one_is_refused(sample):
    texts, labels = sample
    for name in ("issue", "spacy-en"):
        clf = IssueClassifier(min_df=1, calibration_folds=0, tokenizer=name).fit(texts, labels)
        assert clf.score(texts, labels) > 0.9
    with pytest.raises(ValueError, match="unknown tokenizer 'nltk'"):
        IssueClassifier(tokenizer="nltk").fit(texts, labels)



def test_max_chars_cuts_what_is_read_and_must_be_positive():
    head = "Crash on save\nThe app crashes when I save a file."
    tail = " zebra" * 500  # words only the long read sees
    texts = ["Crash on save\nIt crashes.", "Add dark mode\nPlease add a theme.", head + tail]
    labels = ["maintenance/corrective", "maintenance/perfective", "maintenance/corrective"]
    for tokenizer in ("issue", "spacy-en"):
        short = IssueClassifier(min_df=1, calibration_folds=0, tokenizer=tokenizer,
                                max_chars=len(head)).fit(texts, labels)
        long = IssueClassifier(min_df=1, calibration_folds=0, tokenizer=tokenizer,
                               max_chars=10_000).fit(texts, labels)
        assert "w:zebra" not in short.vectorizer_.vocabulary_
        assert "w:zebra" in long.vectorizer_.vocabulary_
    for bad in (0, -5, 1.5, "100"):
        with pytest.raises(ValueError, match="max_chars must be a positive whole number"):
            IssueClassifier(min_df=1, calibration_folds=0, max_chars=bad).fit(texts, labels)

def test_models_saved_before_the_tokenizer_parameter_keep_spacy_english():
    import issuekind

    old = issuekind.load("default==1.1.0")
    assert "tokenizer" not in old.manifest_["params"] and old.tokenizer == "spacy-en"
