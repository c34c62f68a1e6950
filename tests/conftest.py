import csv
from pathlib import Path

import pytest

from issuekind import IssueClassifier

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample-backlog.csv"
SHARED = ROOT.parent / "shared" / "datasets"


def sample_rows():
    with open(SAMPLE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def sample():
    rows = sample_rows()
    return [r["title"] + "\n" + r["body"] for r in rows], [r["expected_label"] for r in rows]


@pytest.fixture(scope="session")
def small_model(sample):
    """A real model trained on our own sample backlog: small, but the whole pipeline."""
    texts, labels = sample
    return IssueClassifier(min_df=1, calibration_folds=2).fit(texts, labels)


@pytest.fixture(scope="session")
def shared_datasets():
    if not SHARED.is_dir():
        pytest.skip(f"needs the shared datasets at {SHARED}, which is absent on this machine")
    return SHARED
