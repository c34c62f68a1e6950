"""Labels: the seven of the protocol, two-level labels, and what a prediction says.

A label written ``kind/leaf`` (``maintenance/corrective``) belongs to the kind before the
slash; the probability of a kind is the sum of its leaves' probabilities, so a kind and a
leaf never contradict each other. A label without a slash is its own kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

#: The labels of ``LABELING.md``, in the order the default model reports them.
LABELS = (
    "maintenance/adaptive",
    "maintenance/corrective",
    "maintenance/perfective",
    "maintenance/preventive",
    "support/l1",
    "support/l2",
    "support/l3",
)


def kind_of(label: str) -> str:
    """``"maintenance/corrective"`` -> ``"maintenance"``; a flat label is its own kind."""
    return label.split("/", 1)[0]


def kinds_of(classes: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct kinds of ``classes`` (sorted) and, per class, the index of its kind."""
    kinds = sorted({kind_of(c) for c in classes})
    index = np.array([kinds.index(kind_of(c)) for c in classes], dtype=np.int64)
    return kinds, index


def kind_proba(proba: np.ndarray, classes: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Sum leaf probabilities into kind probabilities: ``(kinds, array n_texts x n_kinds)``."""
    kinds, index = kinds_of(classes)
    out = np.zeros((proba.shape[0], len(kinds)))
    for k in range(len(kinds)):
        out[:, k] = proba[:, index == k].sum(axis=1)
    return kinds, out


@dataclass(frozen=True)
class Prediction:
    """What :meth:`IssueClassifier.classify` says about one text.

    ``label`` and ``kind`` are ``None`` when the model cannot tell: the text is empty or
    holds nothing the model knows, or the confidence is below the threshold. ``confidence``
    is the probability of the best label (0.0 for empty text); ``kind_confidence`` that of its
    kind. ``terms`` are the features that pushed most toward the best label, strongest first.
    """

    label: str | None
    kind: str | None
    confidence: float
    kind_confidence: float
    terms: list[str] = field(default_factory=list)

    @property
    def cannot_tell(self) -> bool:
        return self.label is None
