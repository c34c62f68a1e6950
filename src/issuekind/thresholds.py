"""Per-label confidence thresholds: how sure the model must be before a label is applied."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class ThresholdResult:
    """One label's tuned threshold (``None``: the target precision is out of reach), with the
    precision and coverage (share of that label's predictions kept) it gave on the tuning data."""

    label: str
    threshold: float | None
    precision: float | None
    coverage: float
    predicted: int


def tune_thresholds(model, texts, labels, target_precision: float = 0.9,
                    min_predictions: int = 5) -> dict[str, ThresholdResult]:
    """Pick, per label, the lowest confidence threshold whose precision on ``texts`` reaches
    ``target_precision``, and store the thresholds in ``model.thresholds_``.

    Use held-out data the model was not trained on. A label whose predictions never reach the
    target (or that is predicted fewer than ``min_predictions`` times) gets ``None``:
    :meth:`~issuekind.IssueClassifier.classify` and ``issuekind label`` then never apply it
    on their own, answering "cannot tell" instead. Saving the model keeps the thresholds.

    Examples
    --------
    >>> import issuekind
    >>> clf = issuekind.load()
    >>> texts = ["App crashes when saving a file", "How do I reset my password?"]
    >>> result = tune_thresholds(clf, texts, ["maintenance/corrective", "support/l1"], 0.9)
    >>> sorted(clf.thresholds_) == sorted(clf.classes_)
    True
    """
    proba = model.predict_proba(list(texts))
    classes = list(model.classes_)
    predicted = proba.argmax(axis=1)
    confidence = proba.max(axis=1)
    truth = np.array([str(y) for y in labels])
    results = {}
    for k, label in enumerate(classes):
        mine = predicted == k
        conf = confidence[mine]
        right = truth[mine] == label
        order = np.argsort(-conf)
        conf, right = conf[order], right[order]
        best = None
        # Keeping the top-i predictions: precision of each prefix; take the longest prefix
        # that reaches the target, and threshold at its lowest confidence.
        if len(conf) >= min_predictions:
            precision = np.cumsum(right) / np.arange(1, len(right) + 1)
            ok = np.flatnonzero(precision >= target_precision)
            ok = ok[ok + 1 >= min_predictions]
            if len(ok):
                i = int(ok.max())
                best = ThresholdResult(label, float(conf[i]), float(precision[i]),
                                       (i + 1) / len(conf), len(conf))
        results[label] = best or ThresholdResult(label, None, None, 0.0, len(conf))
    model.thresholds_ = {label: r.threshold for label, r in results.items()}
    return results
