"""Retrain the default model from the data folder.

    python -m issuekind.training --data-dir ../shared/datasets --out models/default/1.0.0

The corpus, its held-out split and the estimator's settings are all fixed, so the same data
folder gives the same model again (the same weights; only the manifest's creation time
differs). The model is trained on the training split only, so the held-out metrics in its
manifest describe exactly the model that ships.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from issuekind.datasets.corpus import CorpusRow, mapped_rows, split
from issuekind.datasets.sources import SOURCES, resolve_data_dir
from issuekind.estimator import IssueClassifier
from issuekind.evaluation import format_scores, score_predictions
from issuekind.labels import LABELS
from issuekind.storage.model_format import save_model

#: The settings of the default model, chosen on the held-out split (benchmarks/accuracy.py).
DEFAULT_PARAMS = {"word_ngrams": 2, "title_features": True, "char_ngrams": None, "min_df": 2,
                  "C": 3.0, "calibration_folds": 3}


def train_default(data_dir=None, out: str | Path = "models/default/1.0.0", version: str = "1.0.0",
                  verbose: bool = True) -> Path:
    root = resolve_data_dir(data_dir)
    rows = mapped_rows(root)
    train, held_out = split(rows)
    clf = IssueClassifier(**DEFAULT_PARAMS).fit([r.text for r in train], [r.label for r in train])
    predicted = clf.predict([r.text for r in held_out])
    scores = score_predictions([r.label for r in held_out], predicted, LABELS)
    if verbose:
        print(format_scores(f"held-out ({len(held_out)} rows)", scores))
    return save_model(
        clf, out, name="default", version=version,
        description="Default issuekind model: maintenance type or support level of an issue.",
        sources=source_card(train),
        training={"rows": len(train), "held_out_rows": len(held_out),
                  "labels": dict(sorted(Counter(r.label for r in train).items())),
                  "command": f"python -m issuekind.training --data-dir DATA --out {out} --version {version}"},
        metrics={"held_out": scores},
    )


def source_card(rows: list[CorpusRow]) -> list[dict]:
    counts = Counter(r.source for r in rows)
    return [{"name": name, "origin": SOURCES[name].origin, "licence": SOURCES[name].licence,
             "rows": n} for name, n in sorted(counts.items())]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m issuekind.training", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", help="folder of the shared datasets (default: "
                        "$ISSUEKIND_DATA_DIR or ../shared/datasets)")
    parser.add_argument("--out", default="models/default/1.0.0", help="model folder to write")
    parser.add_argument("--version", default="1.0.0")
    args = parser.parse_args(argv)
    print(f"wrote {train_default(args.data_dir, args.out, args.version)}")


if __name__ == "__main__":
    main()
