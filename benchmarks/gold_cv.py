"""Cross-validation on the gold train rows: the newest recipe and variants of it, per label.

    python benchmarks/gold_cv.py [--data-dir ../shared/datasets] [--variants recipe,adaptive-x2,...]

This is where settings are compared; the gold test split is not used. The rows are the
newest default model's training corpus (``issuekind.training.RECIPES``): gold train rows
plus mapped public rows. The gold rows fall into 3 folds by ``sha256("cv:<source>:<key>")``
(its first 15 hex digits as a fraction, times 3: not the ``% 3`` folds of the cross-validation
figures in ``datasets/annotations/README.md``, so compare variants within one run); each
fold is scored by a model trained on the other two folds' gold rows plus every mapped row
(weighted as the recipe weighs them), and the scores are pooled over the folds. Mapped rows
are never scored. Calibration is left out: it rescales scores and never changes the
predicted label.

Variants (``--variants``, comma-separated; by default all but ``tokenizer-<name>``):

- ``recipe``: the newest recipe as it is;
- ``adaptive-x2``, ``adaptive-x3``: adaptive rows weigh 2 or 3 times as much as the
  balanced class weights make them;
- ``tokenizer-<name>``: another tokenizer (``tokenizer-spacy-en``);
- ``gold-25``, ``gold-50``, ``gold-75``: a learning curve, keeping only that share of the
  training folds' gold rows (chosen by ``sha256("share:<source>:<key>")``).
"""

from __future__ import annotations

import argparse
import hashlib
import time

import numpy as np
from sklearn.utils.class_weight import compute_class_weight

from issuekind.datasets.sources import resolve_data_dir
from issuekind.estimator import IssueClassifier
from issuekind.evaluation import score_predictions
from issuekind.labels import LABELS
from issuekind.training import DEFAULT_PARAMS, LATEST, RECIPES, sample_weights

FOLDS = 3


def _unit(salt: str, source: str, key: str) -> float:
    """A number in [0, 1) fixed by the row's identity."""
    digest = hashlib.sha256(f"{salt}:{source}:{key}".encode()).hexdigest()
    return int(digest[:15], 16) / 16 ** 15


def _variant(name: str):
    """(estimator settings changed, extra weight per label, share of gold training rows kept)."""
    if name == "recipe":
        return {}, {}, 1.0
    if name.startswith("adaptive-x"):
        return {}, {"maintenance/adaptive": float(name.removeprefix("adaptive-x"))}, 1.0
    if name.startswith("tokenizer-"):
        return {"tokenizer": name.removeprefix("tokenizer-")}, {}, 1.0
    if name.startswith("gold-"):
        return {}, {}, int(name.removeprefix("gold-")) / 100
    raise SystemExit(f"unknown variant {name!r}; see the list at the top of {__file__}")


def cross_validate(rows, name: str, mapped_weight: float) -> dict:
    settings, label_weight, share = _variant(name)
    texts = [r.text for r in rows]
    labels = np.array([r.label for r in rows], dtype=object)
    gold = np.array([r.origin == "gold" for r in rows])
    fold = np.array([int(_unit("cv", r.source, r.key) * FOLDS) for r in rows])
    kept = np.array([_unit("share", r.source, r.key) < share for r in rows])
    weights = sample_weights(rows, mapped_weight)
    params = {**DEFAULT_PARAMS, **settings, "calibration_folds": 0}
    if label_weight:
        # "balanced" class weights count rows by their sample weight, so scaling a label's
        # sample weights would cancel out: apply the balanced weights here, then scale.
        params["class_weight"] = None
    predicted = np.empty(len(rows), dtype=object)
    for k in range(FOLDS):
        train = np.flatnonzero(~gold | ((fold != k) & kept))
        held = np.flatnonzero(gold & (fold == k))
        w = weights[train]
        if label_weight:
            classes = np.unique(labels[train])
            balanced = compute_class_weight("balanced", classes=classes, y=labels[train],
                                            sample_weight=w)
            scale = {c: b * label_weight.get(c, 1.0) for c, b in zip(classes, balanced)}
            w = w * np.array([scale[y] for y in labels[train]])
        clf = IssueClassifier(**params).fit([texts[i] for i in train], labels[train],
                                            sample_weight=w)
        predicted[held] = clf.predict([texts[i] for i in held])
    return score_predictions(list(labels[gold]), list(predicted[gold]), LABELS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--variants", default="recipe,adaptive-x2,adaptive-x3,"
                                               "gold-25,gold-50,gold-75")
    args = parser.parse_args()
    recipe = RECIPES[LATEST]
    rows, _ = recipe.rows(resolve_data_dir(args.data_dir))  # the test rows are not used
    n_gold = sum(r.origin == "gold" for r in rows)
    print(f"recipe {LATEST}: {len(rows)} training rows, {n_gold} of them gold, "
          f"{FOLDS} folds; F1 per label, pooled over the folds\n")
    short = [lab.split("/")[-1][:10] for lab in LABELS]
    print(f"{'variant':<16} {'macro':>6} " + " ".join(f"{s:>10}" for s in short)
          + "  adaptive P / R   time")
    for name in args.variants.split(","):
        start = time.perf_counter()
        s = cross_validate(rows, name, recipe.mapped_weight)
        per = s["per_label"]
        a = per["maintenance/adaptive"]
        print(f"{name:<16} {s['macro_f1']:>6.3f} "
              + " ".join(f"{per[lab]['f1']:>10.3f}" for lab in LABELS)
              + f"  {a['precision']:.3f} / {a['recall']:.3f}"
              + f"  {time.perf_counter() - start:>4.0f} s", flush=True)


if __name__ == "__main__":
    main()
