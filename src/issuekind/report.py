"""How well a model does on labelled texts: figures, plots and a self-contained HTML page."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from issuekind.evaluation import score_predictions


@dataclass
class EvaluationReport:
    """The result of :func:`evaluate`.

    ``scores`` holds accuracy, macro-F1, kind accuracy, per-label precision/recall/F1/support
    and the confusion matrix (rows: true, columns: predicted, in ``scores["labels"]`` order).
    ``mistakes`` are the most confident wrong predictions, most confident first.
    ``coverage`` is the coverage-versus-accuracy curve over the abstain threshold: rows of
    (threshold, share of texts labelled, accuracy on them).
    """

    model_name: str
    scores: dict
    mistakes: list[dict] = field(default_factory=list)
    coverage: list[tuple[float, float, float]] = field(default_factory=list)

    def __getattr__(self, name):
        try:
            return self.__dict__["scores"][name]
        except KeyError:
            raise AttributeError(name) from None

    def summary(self) -> str:
        from issuekind.evaluation import format_confusion, format_scores

        return format_scores(self.model_name, self.scores) + "\n\n" + format_confusion(self.scores)

    def plot(self):
        """A matplotlib figure: the confusion matrix and the coverage-versus-accuracy curve."""
        import matplotlib.pyplot as plt  # without a display, matplotlib picks Agg by itself

        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5.5))
        self.plot_confusion(ax1)
        self.plot_coverage(ax2)
        fig.tight_layout()
        return fig

    def plot_confusion(self, ax) -> None:
        labels = self.scores["labels"]
        matrix = np.array(self.scores["confusion"])
        ax.imshow(matrix, cmap="Blues")
        short = [lab.split("/")[-1] for lab in labels]
        ax.set_xticks(range(len(labels)), short, rotation=45, ha="right")
        ax.set_yticks(range(len(labels)), short)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title("Confusion matrix")
        for i in range(len(labels)):
            for j in range(len(labels)):
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center",
                        color="white" if matrix[i, j] > matrix.max() / 2 else "black")

    def plot_coverage(self, ax) -> None:
        if self.coverage:
            _, cov, acc = zip(*self.coverage)
            ax.plot(cov, acc, marker=".")
        ax.set_xlabel("coverage (share of issues labelled)")
        ax.set_ylabel("accuracy on the labelled ones")
        ax.set_title("Coverage vs accuracy over the abstain threshold")
        ax.grid(True, alpha=0.3)

    def to_html(self, path: str | Path) -> Path:
        """Write a self-contained HTML page (images inlined) with the figures and plots."""
        confusion = _png(self.plot_confusion, (6.5, 5.5))
        coverage = _png(self.plot_coverage, (6.5, 5.5))
        rows = "".join(
            f"<tr><td>{html.escape(lab)}</td><td>{m['precision']:.3f}</td><td>{m['recall']:.3f}</td>"
            f"<td>{m['f1']:.3f}</td><td>{m['support']}</td></tr>"
            for lab, m in self.scores["per_label"].items())
        mistakes = "".join(
            f"<tr><td>{html.escape(m['true'])}</td><td>{html.escape(m['predicted'])}</td>"
            f"<td>{m['confidence']:.2f}</td><td>{html.escape(m['text'][:200])}</td></tr>"
            for m in self.mistakes[:20])
        s = self.scores
        page = f"""<!doctype html><html><head><meta charset="utf-8">
<title>issuekind evaluation: {html.escape(self.model_name)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px}}</style></head><body>
<h1>Evaluation of {html.escape(self.model_name)}</h1>
<p>{s['n']} texts: accuracy {s['accuracy']:.3f}, macro-F1 {s['macro_f1']:.3f},
kind accuracy {s['kind_accuracy']:.3f}.</p>
<img alt="confusion matrix" src="data:image/png;base64,{confusion}">
<img alt="coverage versus accuracy" src="data:image/png;base64,{coverage}">
<h2>Per label</h2><table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>{rows}</table>
<h2>Most confident mistakes</h2><table><tr><th>true</th><th>predicted</th><th>confidence</th><th>text</th></tr>{mistakes}</table>
</body></html>
"""
        target = Path(path)
        target.write_text(page, encoding="utf-8")
        return target


def _png(draw, size) -> str:
    """Draw on a new figure and return it as base64 PNG."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    draw(ax)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def coverage_curve(confidence: np.ndarray, correct: np.ndarray, steps: int = 21) -> list[tuple[float, float, float]]:
    """(threshold, coverage, accuracy) for thresholds from 0 to the highest confidence."""
    out = []
    for t in np.linspace(0.0, float(confidence.max(initial=0.0)), steps):
        kept = confidence >= t
        if kept.any():
            out.append((round(float(t), 4), float(kept.mean()), float(correct[kept].mean())))
    return out


def evaluate(model, texts, labels, n_mistakes: int = 20) -> EvaluationReport:
    """Score ``model`` on labelled ``texts``.

    Returns an :class:`EvaluationReport` whose numbers are scikit-learn's metrics on the
    model's predictions (``report.accuracy``, ``report.macro_f1``, ``report.per_label`` ...).

    Examples
    --------
    >>> import issuekind
    >>> report = issuekind.evaluate(issuekind.load(), ["App crashes when saving a file",
    ...                              "How do I reset my password?"],
    ...                             ["maintenance/corrective", "support/l1"])
    >>> report.n
    2
    """
    texts = list(texts)
    labels = [str(y) for y in labels]
    proba = model.predict_proba(texts)
    classes = list(model.classes_)
    predicted = [classes[i] for i in proba.argmax(axis=1)]
    confidence = proba.max(axis=1)
    order = sorted(set(labels) | set(classes), key=lambda lab: (lab not in classes, lab))
    scores = score_predictions(labels, predicted, order)
    correct = np.array([p == y for p, y in zip(predicted, labels)])
    wrong = np.flatnonzero(~correct)
    wrong = wrong[np.argsort(-confidence[wrong])][:n_mistakes]
    mistakes = [{"index": int(i), "text": texts[i], "true": labels[i], "predicted": predicted[i],
                 "confidence": float(confidence[i])} for i in wrong]
    name = getattr(model, "manifest_", {}).get("name", type(model).__name__)
    version = getattr(model, "manifest_", {}).get("version")
    return EvaluationReport(f"{name}=={version}" if version else name, scores, mistakes,
                            coverage_curve(confidence, correct))
