"""issuekind: say what kind of work a software issue or support ticket is.

Every issue is *maintenance* (corrective, adaptive, perfective, preventive) or *support*
(l1, l2, l3); see ``LABELING.md``.

>>> import issuekind
>>> clf = issuekind.load()
>>> clf.predict(["App crashes with NullPointerException when saving a file"])
['maintenance/corrective']
"""

from issuekind.drift import compare
from issuekind.errors import IssuekindError
from issuekind.estimator import IssueClassifier
from issuekind.labels import LABELS, Prediction
from issuekind.storage.model_format import load_model, save_model
from issuekind.report import evaluate
from issuekind.storage.registry import list_models, load, save
from issuekind.suggest import suggest
from issuekind.thresholds import tune_thresholds

__version__ = "0.1.0"

__all__ = ["IssueClassifier", "IssuekindError", "LABELS", "Prediction", "compare", "evaluate",
           "list_models", "load", "load_model", "save", "save_model", "suggest", "tune_thresholds",
           "__version__"]
