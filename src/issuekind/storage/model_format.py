"""issuekind's own safe format: a fitted :class:`IssueClassifier` as plain data.

::

    <model>/
      manifest.json   see :mod:`issuekind.storage.manifest`
      features.json   the feature names, in column order
      weights.npz     coef, intercept, idf (read with allow_pickle=False)

Loading reads JSON and numeric arrays only: it never runs code from the folder, and it does
not depend on the scikit-learn version the model was made with.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from issuekind.storage.manifest import (check_name_and_version, new_model_folder, read_manifest,
                                        verify_folder, write_manifest)

FORMAT = "issuekind-linear"
FEATURES = "features.json"
WEIGHTS = "weights.npz"

_VECTORIZER_KEYS = ("word_ngrams", "title_features", "char_ngrams", "min_df", "max_features")
_MODEL_KEYS = ("C", "class_weight", "calibration_folds", "random_state")


def save_model(model, path: str | os.PathLike, name: str, version: str, replace: bool = False,
               trust_pickle: bool = False, **card) -> Path:
    """Write a fitted model to the folder ``path``, with its manifest.

    An :class:`IssueClassifier` is written in the safe plain-data format. Anything else (a
    scikit-learn ``Pipeline`` with custom steps, say) can only be pickled: pass
    ``trust_pickle=True`` to write it with joblib; loading it will then need ``trust=True``.
    ``card`` adds fields to the manifest (``sources``, ``metrics``, ``description`` ...).
    """
    from issuekind.estimator import IssueClassifier
    from issuekind.storage.trusted import write_joblib

    check_name_and_version(name, version)
    plain = isinstance(model, IssueClassifier)
    if not plain and not trust_pickle:
        from issuekind.errors import IssuekindError

        raise IssuekindError("E222", f"{type(model).__name__} is not an IssueClassifier, so it can "
                                     "only be saved as a pickle, which runs code when loaded. Pass "
                                     "trust_pickle=True to save it that way.")
    with new_model_folder(path, replace) as tmp:
        fields = _write_plain(model, tmp) if plain else write_joblib(model, tmp)
        manifest = write_manifest(tmp, {"name": name, "version": version, **fields, **card})
        from issuekind.storage.card import write_card

        write_card(tmp, manifest)
    return Path(path)


def _write_plain(clf, folder: Path) -> dict:
    with open(folder / FEATURES, "w", encoding="utf-8") as fh:
        json.dump(clf.vectorizer_.feature_names_, fh, ensure_ascii=False, separators=(",", ":"))
    np.savez_compressed(folder / WEIGHTS, coef=clf.model_.coef_, intercept=clf.model_.intercept_,
                        idf=clf.vectorizer_.idf_)
    params = clf.get_params()
    return {
        "format": FORMAT,
        "labels": [str(c) for c in clf.classes_],
        "kinds": clf.kinds_,
        "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
        "temperature": clf.model_.temperature_,
        "threshold": params["threshold"],
        "thresholds": dict(getattr(clf, "thresholds_", {})),
        "n_features": len(clf.vectorizer_.vocabulary_),
        "training_fingerprint": getattr(clf, "training_fingerprint_", None),
    }


def load_model(path: str | os.PathLike, trust: bool = False, predict_only: bool = False):
    """Load a model folder written by :func:`save_model`.

    Every file is checked against the manifest first (sha256, nothing missing, nothing
    extra); a mismatch is an error naming the model, version and file. Plain-data models
    load without running code from the folder; pickled ones need ``trust=True``.

    ``predict_only=True`` loads a plain-data model as a
    :class:`~issuekind.pipeline.fitted.FittedPipeline` instead of an ``IssueClassifier``:
    the same predictions, without importing scikit-learn (about a second less to start a
    worker process).
    """
    folder = Path(path)
    manifest = read_manifest(folder)
    if manifest.get("format", FORMAT) != FORMAT:
        from issuekind.storage.trusted import read_joblib

        return read_joblib(folder, manifest, trust)
    verify_folder(folder, manifest)
    return _read_plain(folder, manifest, predict_only)


def _read_plain(folder: Path, manifest: dict, predict_only: bool = False):
    from issuekind.pipeline.classify import CalibratedLinearModel
    from issuekind.pipeline.fitted import FittedPipeline
    from issuekind.pipeline.normalize import BLOCK_MAX_CHARS, MAX_CHARS
    from issuekind.pipeline.vectorize import Vectorizer

    with open(folder / FEATURES, encoding="utf-8") as fh:
        features = json.load(fh)
    with np.load(folder / WEIGHTS, allow_pickle=False) as arrays:
        coef, intercept, idf = arrays["coef"], arrays["intercept"], arrays["idf"]
    params = dict(manifest["params"])
    params.setdefault("tokenizer", "spacy-en")  # models saved before the parameter existed
    # Models saved before ``max_chars`` existed read what their tokenizer's cleaning cut at.
    params.setdefault("max_chars", BLOCK_MAX_CHARS if params["tokenizer"] == "issue" else MAX_CHARS)
    if params.get("char_ngrams"):
        params["char_ngrams"] = tuple(params["char_ngrams"])
    if predict_only:
        clf = FittedPipeline()
        clf.tokenizer, clf.max_chars, clf.threshold = (params["tokenizer"], params["max_chars"],
                                                       params.get("threshold", 0.0))
    else:
        from issuekind.estimator import IssueClassifier

        clf = IssueClassifier(**params)
    clf.vectorizer_ = Vectorizer.from_state({k: params[k] for k in _VECTORIZER_KEYS}, features, idf)
    clf.model_ = CalibratedLinearModel.from_state({k: params[k] for k in _MODEL_KEYS}, coef,
                                                  intercept, manifest["temperature"],
                                                  manifest["labels"])
    clf.classes_ = clf.model_.classes_
    if manifest.get("thresholds"):
        clf.thresholds_ = dict(manifest["thresholds"])
    if manifest.get("training_fingerprint"):
        clf.training_fingerprint_ = manifest["training_fingerprint"]
    clf.manifest_ = manifest
    clf.model_path_ = str(folder.resolve())
    return clf
