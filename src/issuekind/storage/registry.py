"""Finding models by name and version.

Models live in folders ``<root>/<name>/<version>/``. The roots searched are the models
bundled with issuekind (``issuekind/models`` in an installed package, ``models/`` in a
checkout) and the folder named by ``$ISSUEKIND_HOME`` when set.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from issuekind.errors import IssuekindError
from issuekind.storage.model_format import MANIFEST, load_model

HOME_ENV = "ISSUEKIND_HOME"
_VERSION = re.compile(r"^\d+(\.\d+){0,2}$")


def model_roots() -> list[Path]:
    """The folders searched for models, in order of preference."""
    roots = []
    if os.environ.get(HOME_ENV):
        roots.append(Path(os.environ[HOME_ENV]) / "models")
    package = Path(__file__).resolve().parents[1]
    bundled = package / "models"
    if bundled.is_dir():
        roots.append(bundled)
    checkout = package.parents[1] / "models"  # running from a source checkout
    if checkout.is_dir():
        roots.append(checkout)
    return roots


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def available_versions(name: str) -> dict[str, Path]:
    """Every version of model ``name`` found, mapped to its folder (first root wins)."""
    found: dict[str, Path] = {}
    for root in model_roots():
        folder = root / name
        if not folder.is_dir():
            continue
        for sub in folder.iterdir():
            if _VERSION.match(sub.name) and (sub / MANIFEST).is_file():
                found.setdefault(sub.name, sub)
    return found


def find_model(name: str = "default", version: str | None = None) -> Path:
    """The folder of model ``name`` at ``version`` (the newest when ``None``)."""
    versions = available_versions(name)
    if not versions:
        roots = ", ".join(str(r) for r in model_roots()) or "(none)"
        raise IssuekindError("E210", f"no model named '{name}' in {roots}. "
                                     "Check the name, or set ISSUEKIND_HOME to where your models are.")
    if version is None:
        return versions[max(versions, key=version_key)]
    wanted = version.removeprefix("==").strip()
    if wanted not in versions:
        have = ", ".join(sorted(versions, key=version_key))
        raise IssuekindError("E211", f"model '{name}' has no version {wanted}; available: {have}.")
    return versions[wanted]


def load(name: str = "default", version: str | None = None):
    """Load a ready-to-use classifier by name and version.

    Parameters
    ----------
    name : str, default="default"
        The model's name; ``"name==1.0.0"`` is also accepted.
    version : str or None, default=None
        An exact version such as ``"1.0.0"``; ``None`` takes the newest.

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
    """
    if "==" in name:
        name, version = name.split("==", 1)
    return load_model(find_model(name, version))
