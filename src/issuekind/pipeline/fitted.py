"""A fitted pipeline as predicting uses it: texts -> feature matrix -> labels.

:class:`FittedPipeline` holds what predicting needs (the tokenizer and the cut length, the
fitted vectorizer and calibrated linear model, the labels and their thresholds) and imports
nothing from scikit-learn, so a process that only labels, such as a worker of
``issuekind label --jobs N``, starts without it. :class:`~issuekind.estimator.IssueClassifier`
predicts through these same methods.
"""

from __future__ import annotations

import numbers
from typing import Iterable

import numpy as np

from issuekind.labels import Prediction, kind_of, kind_proba
from issuekind.pipeline.gcpause import gc_paused
from issuekind.pipeline.normalize import normalize, normalize_blocks
from issuekind.pipeline.tokenize import issue_tokenizer, tokenize_issues


class FittedPipeline:
    """The fitted stages of a model, for predicting.

    Attributes: ``tokenizer``, ``max_chars``, ``threshold`` (settings); ``vectorizer_``,
    ``model_``, ``classes_`` and optionally ``thresholds_`` (learned state).
    :func:`issuekind.storage.model_format.load_model` with ``predict_only=True`` returns one.
    """

    def _check_fitted(self) -> None:
        """Nothing to check: a fitted pipeline is made from a fitted model."""

    def transform_texts(self, X):
        """The TF-IDF feature matrix of texts ``X`` (n_texts x n_features, sparse)."""
        self._check_fitted()
        texts = _check_texts(X)
        with gc_paused():
            index = self.vectorizer_.term_index() if self.tokenizer == "issue" else None
            if index is not None:  # the fast way to the same matrix: words straight to term ids
                _check_max_chars(self.max_chars)
                cleaned = (normalize_blocks(t, self.max_chars) for t in texts)
                return self.vectorizer_.transform_term_ids(*issue_tokenizer().term_ids(cleaned, index))
            return self.vectorizer_.transform(_analyze(texts, self.tokenizer, self.max_chars))

    def _classify(self, features, threshold: float | None = None,
                  n_terms: int = 5) -> tuple[list[Prediction], np.ndarray]:
        """:meth:`classify` from a feature matrix; also returns the label probabilities."""
        proba = self.model_.predict_proba(features)
        kinds, kproba = kind_proba(proba, list(self.classes_))
        per_label = getattr(self, "thresholds_", {}) if threshold is None else {}
        default = self.threshold if threshold is None else threshold
        names = self.vectorizer_.feature_names_ if n_terms else None
        coef = self.model_.coef_
        indptr, indices, data = features.indptr, features.indices, features.data
        # Per-text values as Python lists up front: indexing numpy arrays one item at a
        # time costs more than the rest of the loop.
        labels = [str(c) for c in self.classes_]
        label_kinds = [kind_of(c) for c in labels]
        kind_col = np.array([kinds.index(k) for k in label_kinds], dtype=np.int64)
        best_of = proba.argmax(axis=1)
        rows = np.arange(proba.shape[0])
        confidences = proba[rows, best_of].tolist()
        kind_confidences = kproba[rows, kind_col[best_of]].tolist()
        empty = (np.diff(indptr) == 0).tolist()
        out = []
        for i, best in enumerate(best_of.tolist()):
            if empty[i]:  # empty, or nothing the model has ever seen
                out.append(Prediction(None, None, 0.0, 0.0, []))
                continue
            label = labels[best]
            confidence = confidences[i]
            kind_conf = kind_confidences[i]
            terms = []
            if n_terms:
                lo, hi = indptr[i], indptr[i + 1]
                cols = indices[lo:hi]
                contrib = data[lo:hi] * coef[best, cols]
                order = np.argsort(-contrib)[:n_terms]
                terms = [names[cols[j]].split(":", 1)[1] for j in order if contrib[j] > 0]
            limit = per_label.get(label, default)
            if limit is None or confidence < limit:  # None: this label is never applied alone
                out.append(Prediction(None, None, confidence, kind_conf, terms))
            else:
                out.append(Prediction(label, label_kinds[best], confidence, kind_conf, terms))
        return out, proba


def _check_texts(X) -> list[str]:
    """Accept a list, tuple, numpy array or pandas Series of texts; ``None`` counts as ""."""
    if isinstance(X, str):
        raise ValueError("X must be a sequence of texts, not one string; wrap it in a list")
    if hasattr(X, "ndim") and X.ndim != 1:
        raise ValueError(f"X must be one-dimensional (one text per issue), got shape {X.shape}")
    try:
        items = list(X)
    except TypeError:
        raise ValueError(f"X must be a sequence of texts, got {type(X).__name__}") from None
    return [v if isinstance(v, str) else ("" if v is None or v != v else str(v)) for v in items]


#: The ways text becomes (tokens, title length), by the ``tokenizer`` parameter.
TOKENIZERS = ("issue", "spacy-en")


def _check_max_chars(max_chars) -> None:
    if not isinstance(max_chars, numbers.Integral) or max_chars < 1:
        raise ValueError(f"max_chars must be a positive whole number, got {max_chars!r}")


def _analyze(texts: Iterable[str], tokenizer: str = "issue", max_chars: int = 1500):
    _check_max_chars(max_chars)
    if tokenizer == "issue":
        return issue_tokenizer().stream(normalize_blocks(t, max_chars) for t in texts)
    if tokenizer == "spacy-en":
        return tokenize_issues(normalize(t, max_chars) for t in texts)
    raise ValueError(f"unknown tokenizer {tokenizer!r}; expected one of {', '.join(TOKENIZERS)}")
