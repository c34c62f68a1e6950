"""Models by name and version: where they live, which one ``load`` picks, how to save one.

Models live in folders ``<root>/<name>/<version>/``. Roots, in order of preference:

1. the user's folder, ``$ISSUEKIND_HOME/models`` (default: the platform's user data folder,
   e.g. ``~/.local/share/issuekind`` on Linux), where :func:`save` writes;
2. the models bundled with issuekind (``issuekind/models`` in an installed package,
   ``models/`` in a source checkout).

Installed model packages (``issuekind package``) are imported and loaded by themselves.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from issuekind.errors import IssuekindError
from issuekind.storage.manifest import MANIFEST, check_name_and_version, read_manifest
from issuekind.storage.model_format import load_model, save_model

HOME_ENV = "ISSUEKIND_HOME"


def user_home() -> Path:
    """``$ISSUEKIND_HOME``, else the platform's user data folder for issuekind."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "issuekind"


def model_roots() -> list[Path]:
    """The folders searched for models, in order of preference."""
    package = Path(__file__).resolve().parents[1]
    roots = [user_home() / "models", package / "models",
             package.parents[1] / "models"]  # the last: running from a source checkout
    return [r for r in roots if r.is_dir()]


def available_versions(name: str) -> dict[str, Path]:
    """Every version of model ``name`` found, mapped to its folder (first root wins)."""
    found: dict[str, Path] = {}
    for root in model_roots():
        folder = root / name
        if not folder.is_dir():
            continue
        for sub in folder.iterdir():
            if (sub / MANIFEST).is_file() and not sub.name.startswith("."):
                try:
                    Version(sub.name)
                except ValueError:
                    continue
                found.setdefault(sub.name, sub)
    return found


def find_model(name: str = "default", version: str | None = None) -> Path:
    """The folder of model ``name``: an exact ``version`` ("1.0.0" or "==1.0.0"), a range
    (">=1.1,<2"), or ``None`` for the newest. A ``name`` with a slash is the path of a
    model folder itself."""
    if "/" in name or os.sep in name:
        folder = Path(name)
        if version is None and (folder / "manifest.json").is_file():
            return folder
        raise IssuekindError("E210", f"{name} is not a model folder (it has no manifest.json)"
                             if version is None else
                             f"{name} is a path: give a model folder without a version.")
    versions = available_versions(name)
    if not versions:
        roots = ", ".join(str(r) for r in model_roots()) or "(none)"
        raise IssuekindError("E210", f"no model named '{name}' in {roots}. "
                                     f"Check the name, or set {HOME_ENV} to where your models are.")
    if version is None:
        return versions[max(versions, key=Version)]
    spec = version.strip()
    if spec and spec[0].isdigit():
        spec = "==" + spec
    try:
        matching = list(SpecifierSet(spec).filter(versions, prereleases=True))
    except InvalidSpecifier:
        raise IssuekindError("E212", f"version {version!r} is neither a version (1.0.0) nor a range "
                                     "(>=1.1,<2).") from None
    if not matching:
        have = ", ".join(sorted(versions, key=Version))
        raise IssuekindError("E211", f"model '{name}' has no version {version.removeprefix('==')}; "
                                     f"available: {have}.")
    return versions[max(matching, key=Version)]


def load(name: str = "default", version: str | None = None, trust: bool = False):
    """Load a ready-to-use classifier by name and version.

    Parameters
    ----------
    name : str, default="default"
        The model's name; ``"name==1.0.0"`` or ``"name>=1.1,<2"`` also work, and so does
        the path of a model folder (any name with a slash).
    version : str or None, default=None
        An exact version (``"1.0.0"``), a range (``">=1.1,<2"``), or ``None`` for the newest.
    trust : bool, default=False
        Allow loading a model saved as a pickle (which runs code when loaded).

    Returns
    -------
    IssueClassifier
        Fitted, with its manifest in ``manifest_``.

    Examples
    --------
    >>> import issuekind
    >>> clf = issuekind.load()
    >>> clf.predict(["App crashes with NullPointerException when saving a file"])
    ['maintenance/corrective']
    >>> issuekind.load("default", ">=1.0,<1.1").manifest_["version"]
    '1.0.0'
    """
    if version is None:
        name, version = split_spec(name)
    return load_model(find_model(name, version), trust=trust)


def split_spec(spec: str) -> tuple[str, str | None]:
    """``"default==1.0.0"`` -> ``("default", "==1.0.0")``; ``"default"`` -> ``("default", None)``."""
    for i, ch in enumerate(spec):
        if ch in "=<>!~":
            return spec[:i].strip(), spec[i:].strip()
    return spec.strip(), None


def save(model, name: str, version: str, *, replace: bool = False, trust_pickle: bool = False,
         home: str | os.PathLike | None = None, training_data=None, **card) -> Path:
    """Save a fitted model as ``name==version`` in the user's model folder.

    Versions are immutable: saving over an existing one fails unless ``replace=True``.
    ``training_data=(texts, labels)`` records a fingerprint of the data (an
    :class:`IssueClassifier` records its own when fitted). Other keyword arguments go to the
    manifest: ``metrics``, ``sources``, ``description`` ...

    Examples
    --------
    >>> import issuekind, tempfile
    >>> clf = issuekind.IssueClassifier(min_df=1, calibration_folds=0).fit(
    ...     ["app crashes", "add dark mode"], ["bug", "feature"])
    >>> folder = issuekind.save(clf, "mine", "1.0.0", home=tempfile.mkdtemp())
    >>> folder.name
    '1.0.0'
    """
    check_name_and_version(name, version)
    root = Path(home) if home is not None else user_home()
    if training_data is not None:
        from issuekind.estimator import fingerprint

        card["training_fingerprint"] = fingerprint(*training_data)
    return save_model(model, root / "models" / name / version, name, version, replace=replace,
                      trust_pickle=trust_pickle, **card)


def list_models() -> list[dict]:
    """Every model found: name, version, format, location, macro-F1 (and the rows it was
    scored on) and creation time."""
    out = []
    names = sorted({p.name for root in model_roots() for p in root.iterdir() if p.is_dir()})
    for name in names:
        for version, folder in sorted(available_versions(name).items(), key=lambda kv: Version(kv[0])):
            m = read_manifest(folder)
            held_out = (m.get("metrics") or {}).get("held_out") or {}
            out.append({"name": name, "version": version, "format": m.get("format", "issuekind-linear"),
                        "macro_f1": held_out.get("macro_f1"), "accuracy": held_out.get("accuracy"),
                        "scored_on": (m.get("metrics") or {}).get("scored_on"),
                        "created": m.get("created"), "path": str(folder)})
    return out
