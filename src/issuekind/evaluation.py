"""Scores of predictions against true labels, the same figures everywhere we report them."""

from __future__ import annotations

from typing import Sequence

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from issuekind.labels import kind_of


def score_predictions(y_true: Sequence[str], y_pred: Sequence[str],
                      labels: Sequence[str] | None = None) -> dict:
    """Accuracy, macro-F1, kind accuracy, per-label precision/recall/F1/support, confusion.

    ``labels`` fixes the order of the per-label table and confusion matrix (rows: true,
    columns: predicted); by default the sorted labels of ``y_true``.
    """
    labels = sorted(set(y_true)) if labels is None else list(labels)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "n": len(y_true),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro",
                                         zero_division=0)), 4),
        "kind_accuracy": round(float(accuracy_score([kind_of(y) for y in y_true],
                                                    [kind_of(y) for y in y_pred])), 4),
        "per_label": {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                            "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
        "labels": labels,
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def format_scores(name: str, scores: dict) -> str:
    """A plain-text table of :func:`score_predictions` for the terminal."""
    lines = [f"{name}: accuracy {scores['accuracy']:.3f}  macro-F1 {scores['macro_f1']:.3f}  "
             f"kind accuracy {scores['kind_accuracy']:.3f}  (n={scores['n']})"]
    for lab, m in scores["per_label"].items():
        lines.append(f"    {lab:<26} P {m['precision']:.3f}  R {m['recall']:.3f}  "
                     f"F1 {m['f1']:.3f}  n={m['support']}")
    return "\n".join(lines)


def format_confusion(scores: dict) -> str:
    labels = scores["labels"]
    short = [lab.split("/")[-1][:6] for lab in labels]
    lines = ["true \\ predicted " + " ".join(f"{s:>6}" for s in short)]
    for lab, row in zip(short, scores["confusion"]):
        lines.append(f"{lab:>16} " + " ".join(f"{v:>6}" for v in row))
    return "\n".join(lines)
