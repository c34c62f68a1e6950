"""``IssueClassifier``: the four pipeline stages as one scikit-learn estimator.

normalize -> tokenize -> vectorize -> classify. The estimator keeps scikit-learn's contract
(``__init__`` stores parameters, ``fit`` learns state ending in ``_``), so ``clone``,
``Pipeline``, ``cross_val_score`` and ``GridSearchCV`` work on it as on any classifier.
"""

from __future__ import annotations

import hashlib

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from issuekind.checksums import text_sha256
from issuekind.labels import Prediction, kind_of, kind_proba
from issuekind.pipeline.classify import CalibratedLinearModel
from issuekind.pipeline.fitted import FittedPipeline, _analyze, _check_texts
from issuekind.pipeline.gcpause import gc_paused
from issuekind.pipeline.vectorize import Vectorizer


class IssueClassifier(FittedPipeline, ClassifierMixin, BaseEstimator):
    """Say what kind of work an issue is, from its text.

    Texts are issues as one string each, title on the first line. Labels are any strings;
    ``kind/leaf`` labels (``maintenance/corrective``) also get a kind, the sum of its leaves.

    Parameters
    ----------
    word_ngrams : int, default=2
        Longest word n-gram used as a feature.
    title_features : bool, default=True
        Give the title's n-grams features of their own.
    char_ngrams : tuple of (int, int) or None, default=None
        Range of character n-grams inside words, or ``None`` for none.
    min_df : int, default=2
        Drop features seen in fewer training texts.
    max_features : int, default=300_000
        Keep at most this many features.
    C : float, default=10.0
        Inverse regularisation strength of the logistic regression.
    class_weight : "balanced" or None, default="balanced"
        Weigh rare labels up during training.
    calibration_folds : int, default=3
        Folds for the out-of-fold temperature calibration of the probabilities.
    threshold : float, default=0.0
        Default confidence below which :meth:`classify` answers "cannot tell".
    random_state : int, default=0
        Seed of the calibration folds.
    tokenizer : {"issue", "spacy-en"}, default="issue"
        How text becomes words. ``"issue"``: code blocks, traces and markup are cleaned
        (:func:`~issuekind.pipeline.normalize.normalize_blocks`),
        then a spaCy tokenizer with rules for issue text splits the words and URLs, paths,
        versions and numbers become placeholders; several times faster than
        ``"spacy-en"``: the full :func:`~issuekind.pipeline.normalize.normalize` and spaCy's
        English rules, used by models 1.0 and 1.1.
    max_chars : int, default=1500
        Only the first ``max_chars`` characters of a text are read: the words that say what
        an issue is come first, and most of a long issue is pasted output. 1,500 scored as
        well as 4,000 in cross-validation on the gold train rows and is faster. Models 1.0
        and 1.1 read 20,000 characters, model 1.2 reads 4,000.

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, in the order of :meth:`predict_proba`'s columns.
    kinds_ : list of str
        The kinds of those labels, in the order of :meth:`predict_kind_proba`'s columns.
    vectorizer_, model_ :
        The fitted feature and scoring stages.
    training_fingerprint_ : str
        sha256 of the training texts and labels, recorded in saved models.
    thresholds_ : dict of str to float or None
        Per-label confidence thresholds, set by :func:`issuekind.tune_thresholds`; absent
        until then. ``None`` means the label never reached the target precision.

    Examples
    --------
    >>> texts = ["App crashes on save", "Crash when opening a file", "Add dark mode",
    ...          "Add an option to export PDF", "How do I reset my password?",
    ...          "Where can I change my e-mail address?"]
    >>> labels = ["maintenance/corrective"] * 2 + ["maintenance/perfective"] * 2 + ["support/l1"] * 2
    >>> clf = IssueClassifier(min_df=1, calibration_folds=0).fit(texts, labels)
    >>> clf.predict(["The app crashes when I save"])
    ['maintenance/corrective']
    """

    def __init__(self, word_ngrams: int = 2, title_features: bool = True,
                 char_ngrams: tuple[int, int] | None = None, min_df: int = 2,
                 max_features: int = 300_000, C: float = 10.0,
                 class_weight: str | None = "balanced", calibration_folds: int = 3,
                 threshold: float = 0.0, random_state: int = 0, tokenizer: str = "issue",
                 max_chars: int = 1500):
        self.word_ngrams = word_ngrams
        self.title_features = title_features
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.threshold = threshold
        self.random_state = random_state
        self.tokenizer = tokenizer
        self.max_chars = max_chars

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags

    # -- learning -------------------------------------------------------------------------

    def fit(self, X, y, sample_weight=None) -> "IssueClassifier":
        """Learn from texts ``X`` (list of str or pandas Series) and their labels ``y``."""
        texts = _check_texts(X)
        y = np.asarray(list(y), dtype=object)
        if len(y) != len(texts):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y)} labels")
        if any(not isinstance(v, str) or not v for v in y):
            raise ValueError("labels must be non-empty strings")
        self.vectorizer_ = Vectorizer(self.word_ngrams, self.title_features, self.char_ngrams,
                                      self.min_df, self.max_features)
        with gc_paused():
            features = self.vectorizer_.fit_transform(_analyze(texts, self.tokenizer, self.max_chars))
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.model_ = CalibratedLinearModel(self.C, self.class_weight, self.calibration_folds,
                                            self.random_state).fit(features, y, weights)
        self.classes_ = self.model_.classes_
        self.training_fingerprint_ = fingerprint(texts, y)
        self.__dict__.pop("thresholds_", None)  # tuned for the previous fit, not this one
        return self

    # -- predicting -----------------------------------------------------------------------

    @property
    def kinds_(self) -> list[str]:
        check_is_fitted(self, "classes_")
        return sorted({kind_of(c) for c in self.classes_})

    def _check_fitted(self) -> None:
        check_is_fitted(self, "classes_")

    def decision_function(self, X) -> np.ndarray:
        return self.model_.decision_function(self.transform_texts(X))

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probabilities, shape (n_texts, n_labels), columns in ``classes_`` order."""
        return self.model_.predict_proba(self.transform_texts(X))

    def predict(self, X) -> list[str]:
        """The most probable label of each text (always a label; see :meth:`classify`)."""
        proba = self.predict_proba(X)
        return [str(self.classes_[i]) for i in proba.argmax(axis=1)]

    def predict_kind_proba(self, X) -> np.ndarray:
        """Probabilities of the kinds, shape (n_texts, n_kinds), columns in ``kinds_`` order."""
        return kind_proba(self.predict_proba(X), list(self.classes_))[1]

    def classify(self, X, threshold: float | None = None, n_terms: int = 5) -> list[Prediction]:
        """Label, kind, confidence and the terms behind it, or "cannot tell", per text.

        Parameters
        ----------
        X : list of str or pandas Series
            The issue texts.
        threshold : float or None, default=None
            Confidence below which the answer is "cannot tell" (``label=None``), for every
            label. ``None`` uses the per-label thresholds set by
            :func:`issuekind.tune_thresholds` (``thresholds_``), and the estimator's
            ``threshold`` for labels without one.
        n_terms : int, default=5
            How many explaining terms to return per text (0: none, which is faster).

        Examples
        --------
        >>> import issuekind
        >>> p = issuekind.load().classify(["App crashes when saving a file", ""])
        >>> p[0].label, p[1].label
        ('maintenance/corrective', None)
        """
        return self._classify(self.transform_texts(X), threshold, n_terms)[0]

def fingerprint(texts, labels) -> str:
    """A sha256 of training data (texts and labels, in order): the same data, the same value."""
    h = hashlib.sha256()
    for text, label in zip(_check_texts(texts), labels):
        h.update(text_sha256(text).encode())
        h.update(b"\t" + str(label).encode("utf-8") + b"\n")
    return h.hexdigest()
