"""Accuracy of issuekind's default pipeline against two baselines, on held-out real rows.

    python benchmarks/accuracy.py [--data-dir ../shared/datasets] [--gold]

With ``--gold``, all three train on the newest default model's corpus (``issuekind datasets
build``: our gold train rows of the labelling rounds its recipe names, plus the mapped public
rows) and are scored on the fixed gold test rows of those rounds; issuekind weighs the rows as
that recipe does (``issuekind.training.RECIPES``).

By default, all three models train on the same training rows (the mapped public corpus minus its fixed
held-out split) and are scored on the held-out rows, which none of them saw:

- issuekind: the newest default model's pipeline and settings (``issuekind.training.DEFAULT_PARAMS``);
- fastText: ``fasttext-wheel``'s supervised model, wordNgrams=2, on lower-cased single-line text;
- TF-IDF + LR: scikit-learn's ``TfidfVectorizer`` and ``LogisticRegression``, default settings.

Needs the ``bench`` extra (``pip install .[bench]``) for fastText.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from issuekind.datasets.corpus import mapped_rows, split
from issuekind.datasets.sources import resolve_data_dir
from issuekind.estimator import IssueClassifier
from issuekind.evaluation import format_confusion, format_scores, score_predictions
from issuekind.labels import LABELS
from issuekind.training import DEFAULT_PARAMS, LATEST, RECIPES, sample_weights


def fasttext_predictions(train_x, train_y, test_x) -> list[str]:
    import fasttext

    def line(text: str) -> str:
        return re.sub(r"\s+", " ", text.lower()).strip()

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train.txt")
        with open(path, "w", encoding="utf-8") as fh:
            for x, y in zip(train_x, train_y):
                fh.write(f"__label__{y} {line(x)}\n")
        model = fasttext.train_supervised(path, wordNgrams=2, epoch=25, lr=0.5, verbose=0,
                                          thread=1, seed=0)
    # fasttext-wheel's predict() trips over numpy 2 when it builds its probability array;
    # the underlying predict call returns plain Python lists and works.
    return [model.f.predict(line(x) + "\n", 1, 0.0, "strict")[0][1].removeprefix("__label__")
            for x in test_x]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--gold", action="store_true", help="train on the newest default "
                        "model's corpus and score on our fixed gold test split")
    args = parser.parse_args()
    if args.gold:
        # The newest default model's rows: its gold rounds, train rows plus mapped rows to
        # learn from, the same rounds' test rows to score on.
        train, test = RECIPES[LATEST].rows(resolve_data_dir(args.data_dir))
        weights = sample_weights(train, RECIPES[LATEST].mapped_weight)
        print("gold test split: ", end="")
    else:
        train, test = split(mapped_rows(args.data_dir))
        weights = None
    compare([r.text for r in train], [r.label for r in train],
            [r.text for r in test], [r.label for r in test], weights)


def compare(train_x, train_y, test_x, test_y, weights=None) -> None:
    print(f"train rows {len(train_x)}, held-out rows {len(test_x)}\n")

    contenders = {
        "issuekind": lambda: IssueClassifier(**DEFAULT_PARAMS).fit(
            train_x, train_y, sample_weight=weights).predict(test_x),
        "fastText (wordNgrams=2)": lambda: fasttext_predictions(train_x, train_y, test_x),
        "TF-IDF + LogisticRegression": lambda: list(
            make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=2000))
            .fit(train_x, train_y).predict(test_x)),
    }
    results = {}
    for name, run in contenders.items():
        start = time.perf_counter()
        predicted = run()
        results[name] = score_predictions(test_y, predicted, LABELS)
        print(format_scores(name, results[name]) + f"\n    ({time.perf_counter() - start:.0f} s)\n")
    print("issuekind confusion matrix (held-out):")
    print(format_confusion(results["issuekind"]))
    best_other = max(v["macro_f1"] for k, v in results.items() if k != "issuekind")
    margin = results["issuekind"]["macro_f1"] - best_other
    print(f"\nissuekind macro-F1 minus best baseline: {margin:+.3f}")


if __name__ == "__main__":
    main()
