"""issuekind: say what kind of work a software issue or support ticket is.

Every issue is *maintenance* (corrective, adaptive, perfective, preventive) or *support*
(l1, l2, l3); see ``LABELING.md``.

>>> import issuekind
>>> clf = issuekind.load()
>>> clf.predict(["App crashes with NullPointerException when saving a file"])
['maintenance/corrective']
"""

from importlib import import_module

from issuekind.drift import compare
from issuekind.errors import IssuekindError
from issuekind.labels import LABELS, Prediction
from issuekind.storage.model_format import load_model, save_model
from issuekind.storage.registry import list_models, load, save
from issuekind.suggest import suggest
from issuekind.thresholds import tune_thresholds

#: Imported on first use: they need scikit-learn, which takes a second and over 100 MB to
#: import, and the command line's main process (reading and writing files) never uses them.
_LAZY = {"IssueClassifier": "issuekind.estimator", "evaluate": "issuekind.report"}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'issuekind' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

__version__ = "0.1.0"

__all__ = ["IssueClassifier", "IssuekindError", "LABELS", "Prediction", "compare", "evaluate",
           "list_models", "load", "load_model", "save", "save_model", "suggest", "tune_thresholds",
           "__version__"]
