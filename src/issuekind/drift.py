"""Has the tracker moved away from what the model knows? A new batch against a reference."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class DriftReport:
    """How a new batch differs from a reference batch in the model's eyes.

    ``label_mix`` maps each label to its share in (reference, new); ``label_shift`` is the
    total variation distance between the two mixes (0: same, 1: disjoint). ``confidence``
    is the mean confidence in (reference, new) and ``unknown`` the share of texts with no
    feature the model knows. ``drifted`` is True when the mix moved by more than
    ``max_shift`` or the mean confidence fell by more than ``max_confidence_drop``.
    """

    n: tuple[int, int]
    label_mix: dict[str, tuple[float, float]]
    label_shift: float
    confidence: tuple[float, float]
    unknown: tuple[float, float]
    drifted: bool

    def summary(self) -> str:
        lines = [f"reference {self.n[0]} texts, new {self.n[1]} texts; label shift "
                 f"{self.label_shift:.3f}; mean confidence {self.confidence[0]:.3f} -> "
                 f"{self.confidence[1]:.3f}; {'DRIFTED' if self.drifted else 'no drift'}"]
        for label, (a, b) in self.label_mix.items():
            lines.append(f"    {label:<26} {a:6.1%} -> {b:6.1%}")
        return "\n".join(lines)


def _profile(model, texts):
    features = model.transform_texts(texts)
    proba = model.model_.predict_proba(features)
    shares = np.bincount(proba.argmax(axis=1), minlength=len(model.classes_)) / max(len(texts), 1)
    unknown = float((np.diff(features.indptr) == 0).mean()) if len(texts) else 0.0
    return shares, float(proba.max(axis=1).mean()) if len(texts) else 0.0, unknown


def compare(model, old_texts, new_texts, max_shift: float = 0.1,
            max_confidence_drop: float = 0.05) -> DriftReport:
    """Compare the model's view of ``new_texts`` with its view of ``old_texts``.

    Examples
    --------
    >>> import issuekind
    >>> clf = issuekind.load()
    >>> r = compare(clf, ["App crashes on save"] * 5, ["How do I reset my password?"] * 5)
    >>> r.drifted
    True
    """
    old_texts, new_texts = list(old_texts), list(new_texts)
    a, conf_a, unk_a = _profile(model, old_texts)
    b, conf_b, unk_b = _profile(model, new_texts)
    shift = float(np.abs(a - b).sum() / 2)
    mix = {str(c): (float(x), float(y)) for c, x, y in zip(model.classes_, a, b)}
    drifted = shift > max_shift or (conf_a - conf_b) > max_confidence_drop
    return DriftReport((len(old_texts), len(new_texts)), mix, shift, (conf_a, conf_b),
                       (unk_a, unk_b), drifted)
