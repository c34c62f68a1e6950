"""A saved model as an installable Python package (a wheel), the way spaCy ships pipelines.

``build_wheel`` writes ``issuekind_<name>-<version>-py3-none-any.whl`` holding one module,
``issuekind_<name>``, with the model folder inside it and a ``load()`` function; the wheel
depends on issuekind and its description is the model card. Another team then runs::

    pip install issuekind_default-1.1.0-py3-none-any.whl

    import issuekind_default
    clf = issuekind_default.load()

The wheel is written directly (it is a zip file with three metadata files), so building
one needs no build tool and no network.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from issuekind.storage.card import render_card
from issuekind.storage.manifest import read_manifest, verify_folder

_INIT = '''"""The issuekind model {name} {version}, packaged: ``{module}.load()`` returns it ready."""

from pathlib import Path

__version__ = "{version}"
MODEL_DIR = Path(__file__).resolve().parent / "model"


def load(trust: bool = False):
    """The packaged model, loaded (and checked against its manifest) by issuekind."""
    import issuekind

    return issuekind.load_model(MODEL_DIR, trust=trust)
'''


def module_name(model_name: str) -> str:
    return "issuekind_" + model_name.replace("-", "_")


def build_wheel(folder: str | Path, out_dir: str | Path) -> Path:
    """Build a wheel from the model folder ``folder`` into ``out_dir``; return its path.

    The folder is verified first, so a damaged model is never packaged.
    """
    from issuekind import __version__

    folder = Path(folder)
    manifest = read_manifest(folder)
    verify_folder(folder, manifest)
    name, version = manifest["name"], manifest["version"]
    module = module_name(name)
    dist_info = f"{module}-{version}.dist-info"
    files: dict[str, bytes] = {
        f"{module}/__init__.py": _INIT.format(name=name, version=version, module=module).encode(),
    }
    for p in sorted(folder.iterdir()):
        if p.is_file():
            files[f"{module}/model/{p.name}"] = p.read_bytes()
    card = render_card(manifest)
    files[f"{module}/model/README.md"] = card.encode("utf-8")
    files[f"{dist_info}/METADATA"] = (
        "Metadata-Version: 2.1\n"
        f"Name: {module}\n"
        f"Version: {version}\n"
        f"Summary: issuekind model {name} {version}\n"
        f"Requires-Dist: issuekind>={__version__}\n"
        "Requires-Python: >=3.10\n"
        "Description-Content-Type: text/markdown\n\n" + card
    ).encode("utf-8")
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\n"
        f"Generator: issuekind {__version__}\n"
        "Root-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    ).encode()
    files[f"{dist_info}/top_level.txt"] = f"{module}\n".encode()
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{module}-{version}-py3-none-any.whl"
    tmp = wheel.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))  # reproducible
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    tmp.replace(wheel)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
