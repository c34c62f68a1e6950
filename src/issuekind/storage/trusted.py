"""The fallback format for models only pickle can express, behind an explicit ``trust=True``.

A pickle runs code when it is loaded, so issuekind never loads one by default. With
``trust=True`` it first checks every file of the folder against the sha256 in its
manifest, so what is unpickled is exactly what was saved.
"""

from __future__ import annotations

from pathlib import Path

from issuekind.errors import IssuekindError
from issuekind.storage.manifest import describe, verify_folder

FORMAT = "joblib"
PICKLE = "model.joblib"


def write_joblib(model, folder: Path) -> dict:
    import joblib

    joblib.dump(model, folder / PICKLE)
    labels = [str(c) for c in getattr(model, "classes_", [])]
    return {"format": FORMAT, "labels": labels, "threshold": None, "thresholds": {},
            "estimator": f"{type(model).__module__}.{type(model).__qualname__}",
            "training_fingerprint": getattr(model, "training_fingerprint_", None)}


def read_joblib(folder: Path, manifest: dict, trust: bool):
    if manifest.get("format") != FORMAT:
        raise IssuekindError("E209", f"{describe(manifest, folder)} has format "
                                     f"{manifest.get('format')!r}, which this issuekind does not know.")
    if not trust:
        raise IssuekindError("E223", f"{describe(manifest, folder)} is a pickle, which runs code when "
                                     "loaded. Load it with trust=True only if you trust its author.")
    verify_folder(folder, manifest)
    import joblib

    model = joblib.load(folder / PICKLE)
    try:
        model.manifest_ = manifest
    except AttributeError:
        pass
    return model
