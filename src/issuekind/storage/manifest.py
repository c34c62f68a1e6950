"""A model folder's ``manifest.json``: what the model is, and proof its files are intact.

Every model folder, whatever its format, holds a manifest with: name, semantic version,
format, labels, thresholds, training-data fingerprint and sources, metrics, the versions of
issuekind, scikit-learn, spaCy and numpy it was made with, its creation time, and the sha256
of every other file in the folder. :func:`verify_folder` checks all of that before any
weight is read.
"""

from __future__ import annotations

import json
import os
import platform
import re
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from issuekind.checksums import file_sha256
from issuekind.errors import IssuekindError

MANIFEST = "manifest.json"
README = "README.md"  # the model card, written from the manifest; not covered by checksums
FORMAT_VERSION = 1
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def check_name_and_version(name: str, version: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise IssuekindError("E220", f"model name {name!r} must be lower-case letters, digits, '-' "
                                     "or '_', starting with a letter.")
    if not isinstance(version, str) or not _SEMVER.match(version):
        raise IssuekindError("E221", f"model version {version!r} must be a semantic version "
                                     "MAJOR.MINOR.PATCH, such as 1.0.0.")


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for dist in ("issuekind", "scikit-learn", "spacy", "numpy", "scipy"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "unknown"
    return out


@contextmanager
def new_model_folder(path: str | os.PathLike, replace: bool = False) -> Iterator[Path]:
    """A temporary folder beside ``path`` that becomes ``path`` when the block completes,
    so a reader never sees half a model. An existing ``path`` is an error unless ``replace``."""
    target = Path(path)
    if target.exists() and not replace:
        raise IssuekindError("E201", f"model folder {target} already exists: versions are immutable. "
                                     "Save a new version, or pass replace=True to overwrite it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / "model")
            os.replace(tmp, target)
            _remove_tree(old)
        else:
            os.replace(tmp, target)
    except BaseException:
        _remove_tree(tmp)
        raise


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def write_manifest(folder: Path, fields: dict) -> dict:
    """Write ``manifest.json`` with ``fields``, the library versions, the creation time and
    the sha256 of every file already in ``folder``."""
    manifest = {
        "format_version": FORMAT_VERSION,
        **fields,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "library_versions": library_versions(),
        "files": {p.name: file_sha256(p) for p in sorted(folder.iterdir())
                  if p.name not in (MANIFEST, README)},
    }
    with open(folder / MANIFEST, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return manifest


def read_manifest(path: str | os.PathLike) -> dict:
    folder = Path(path)
    try:
        with open(folder / MANIFEST, encoding="utf-8") as fh:
            manifest = json.load(fh)
    except FileNotFoundError:
        raise IssuekindError("E202", f"{folder} is not an issuekind model: {MANIFEST} is missing.") from None
    except json.JSONDecodeError as e:
        raise IssuekindError("E203", f"{folder / MANIFEST} is not valid JSON ({e}).") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise IssuekindError("E203", f"{folder / MANIFEST} has no file list; it is not an "
                                     "issuekind manifest.")
    return manifest


def describe(manifest: dict, folder: Path) -> str:
    return f"model {manifest.get('name')}=={manifest.get('version')} ({folder})"


def verify_folder(folder: Path, manifest: dict) -> None:
    """Refuse a model whose files do not match its manifest, or that needs a newer issuekind.

    Checks, in order: the format and issuekind version it was made with; that every listed
    file is there with its sha256; and that no file is there that the manifest does not list.
    A model made with another scikit-learn, spaCy or numpy version is fine: the formats do
    not depend on them.
    """
    from issuekind import __version__

    where = describe(manifest, folder)
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise IssuekindError("E204", f"{where} uses format {manifest['format_version']}, newer than "
                                     f"this issuekind reads ({FORMAT_VERSION}); upgrade issuekind.")
    made_with = manifest.get("library_versions", {}).get("issuekind", "unknown")
    if _newer(made_with, __version__):
        raise IssuekindError("E207", f"{where} was made by issuekind {made_with}, newer than this "
                                     f"issuekind {__version__}; upgrade issuekind to load it.")
    for fname, digest in manifest["files"].items():
        fpath = folder / fname
        if not fpath.is_file():
            raise IssuekindError("E205", f"{where}: file {fname} is missing; reinstall the model.")
        if file_sha256(fpath) != digest:
            raise IssuekindError("E206", f"{where}: file {fname} does not match its sha256 in "
                                         f"{MANIFEST}; the model was changed or damaged. Reinstall it.")
    extra = sorted(p.name for p in folder.iterdir()
                   if p.name not in manifest["files"] and p.name not in (MANIFEST, README))
    if extra:
        raise IssuekindError("E208", f"{where}: file {extra[0]} is not listed in {MANIFEST}; the "
                                     "folder does not match its manifest. Reinstall the model.")


def _newer(a: str, b: str) -> bool:
    """Whether release ``a`` is newer than ``b`` (unknown or unparsable: not newer)."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) > Version(b)
    except InvalidVersion:
        return False
