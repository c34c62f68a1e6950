"""A trained :class:`IssueClassifier` as a folder of plain data.

::

    <model>/
      manifest.json   name, version, labels, settings, metrics, sources, library versions,
                      and the sha256 of every other file
      features.json   the feature names, in column order
      weights.npz     coef, intercept, idf (read with allow_pickle=False)

Loading reads JSON and numeric arrays only: it never runs code from the folder, and it does
not depend on the scikit-learn version the model was made with.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from issuekind.checksums import file_sha256
from issuekind.errors import IssuekindError

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FEATURES = "features.json"
WEIGHTS = "weights.npz"

_VECTORIZER_KEYS = ("word_ngrams", "title_features", "char_ngrams", "min_df", "max_features")
_MODEL_KEYS = ("C", "class_weight", "calibration_folds", "random_state")


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for dist in ("issuekind", "scikit-learn", "spacy", "numpy", "scipy"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "unknown"
    return out


def save_model(clf, path: str | os.PathLike, name: str, version: str, **card) -> Path:
    """Write fitted ``clf`` to the folder ``path`` (created; must not exist yet).

    ``card`` adds fields to the manifest: ``sources``, ``metrics``, ``training`` ...
    The folder is written beside its final place and renamed into it, so a reader never sees
    half a model.
    """
    target = Path(path)
    if target.exists():
        raise IssuekindError("E201", f"model folder {target} already exists; choose a new version "
                                     "or remove the folder first.")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    params = clf.get_params()
    with open(tmp / FEATURES, "w", encoding="utf-8") as fh:
        json.dump(clf.vectorizer_.feature_names_, fh, ensure_ascii=False, separators=(",", ":"))
    np.savez_compressed(tmp / WEIGHTS, coef=clf.model_.coef_, intercept=clf.model_.intercept_,
                        idf=clf.vectorizer_.idf_)
    manifest = {
        "name": name,
        "version": version,
        "format_version": FORMAT_VERSION,
        "labels": [str(c) for c in clf.classes_],
        "kinds": clf.kinds_,
        "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
        "temperature": clf.model_.temperature_,
        "threshold": params["threshold"],
        "n_features": len(clf.vectorizer_.vocabulary_),
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "library_versions": library_versions(),
        **card,
        "files": {f: file_sha256(tmp / f) for f in (FEATURES, WEIGHTS)},
    }
    with open(tmp / MANIFEST, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    os.replace(tmp, target)
    return target


def read_manifest(path: str | os.PathLike) -> dict:
    folder = Path(path)
    try:
        with open(folder / MANIFEST, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise IssuekindError("E202", f"{folder} is not an issuekind model: {MANIFEST} is missing.") from None
    except json.JSONDecodeError as e:
        raise IssuekindError("E203", f"{folder / MANIFEST} is not valid JSON ({e}).") from None


def load_model(path: str | os.PathLike):
    """Read a model folder written by :func:`save_model` into a fitted ``IssueClassifier``.

    Every file's sha256 is checked against the manifest first; a mismatch is an error that
    names the model and the file.
    """
    from issuekind.estimator import IssueClassifier
    from issuekind.pipeline.classify import CalibratedLinearModel
    from issuekind.pipeline.vectorize import Vectorizer

    folder = Path(path)
    manifest = read_manifest(folder)
    where = f"model {manifest.get('name')}=={manifest.get('version')} ({folder})"
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise IssuekindError("E204", f"{where} uses format {manifest['format_version']}, newer than "
                                     f"this issuekind reads ({FORMAT_VERSION}); upgrade issuekind.")
    for fname, digest in manifest.get("files", {}).items():
        fpath = folder / fname
        if not fpath.is_file():
            raise IssuekindError("E205", f"{where}: file {fname} is missing.")
        if file_sha256(fpath) != digest:
            raise IssuekindError("E206", f"{where}: file {fname} does not match its sha256 in "
                                         f"{MANIFEST}; the model was changed or damaged. Reinstall it.")
    with open(folder / FEATURES, encoding="utf-8") as fh:
        features = json.load(fh)
    with np.load(folder / WEIGHTS, allow_pickle=False) as arrays:
        coef, intercept, idf = arrays["coef"], arrays["intercept"], arrays["idf"]
    params = dict(manifest["params"])
    if params.get("char_ngrams"):
        params["char_ngrams"] = tuple(params["char_ngrams"])
    clf = IssueClassifier(**params)
    clf.vectorizer_ = Vectorizer.from_state({k: params[k] for k in _VECTORIZER_KEYS}, features, idf)
    clf.model_ = CalibratedLinearModel.from_state({k: params[k] for k in _MODEL_KEYS}, coef,
                                                  intercept, manifest["temperature"],
                                                  manifest["labels"])
    clf.classes_ = clf.model_.classes_
    clf.manifest_ = manifest
    return clf
