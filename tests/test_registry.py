"""Saving, finding and loading models safely: versions, ranges, tampering, pickles."""

import json
import pickle

import joblib
import numpy as np
import pytest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

import issuekind
from issuekind.errors import IssuekindError
from issuekind.storage.manifest import MANIFEST
from issuekind.storage.model_format import WEIGHTS
from issuekind.storage.registry import find_model, list_models


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ISSUEKIND_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_save_then_load_by_name_version_and_range(small_model, sample, home):
    texts, _ = sample
    for v in ("1.0.0", "1.2.0", "2.0.0"):
        issuekind.save(small_model, "team", v, metrics={"held_out": {"macro_f1": 0.5}})
    assert issuekind.load("team").manifest_["version"] == "2.0.0"
    assert issuekind.load("team", "1.2.0").manifest_["version"] == "1.2.0"
    assert issuekind.load("team", ">=1.1,<2").manifest_["version"] == "1.2.0"
    assert issuekind.load("team==1.0.0").manifest_["version"] == "1.0.0"
    assert np.array_equal(issuekind.load("team").predict_proba(texts), small_model.predict_proba(texts))
    found = [(m["name"], m["version"]) for m in list_models()]
    assert ("team", "1.2.0") in found and ("default", "1.1.0") in found


def test_manifest_records_what_the_issue_asks_for(small_model, sample, home):
    texts, labels = sample
    folder = issuekind.save(small_model, "team", "1.0.0", sources=[{"name": "ours", "licence": "MIT"}])
    m = json.loads((folder / MANIFEST).read_text())
    for key in ("name", "version", "labels", "threshold", "thresholds", "training_fingerprint",
                "sources", "created", "files"):
        assert key in m, key
    assert {"issuekind", "scikit-learn", "spacy", "numpy"} <= set(m["library_versions"])
    assert m["training_fingerprint"] == issuekind.estimator.fingerprint(texts, labels)
    assert set(m["files"]) == {"features.json", "weights.npz"}
    assert (folder / "README.md").read_text().startswith("# team 1.0.0")


def test_versions_are_immutable_unless_replaced(small_model, home):
    issuekind.save(small_model, "team", "1.0.0")
    with pytest.raises(IssuekindError, match="immutable"):
        issuekind.save(small_model, "team", "1.0.0")
    issuekind.save(small_model, "team", "1.0.0", replace=True, description="again")
    assert issuekind.load("team", "1.0.0").manifest_["description"] == "again"


@pytest.mark.parametrize("name,version", [("Team", "1.0.0"), ("team", "1.0"), ("team", "v1.0.0")])
def test_bad_names_and_versions_are_refused(small_model, home, name, version):
    with pytest.raises(IssuekindError, match="model (name|version)"):
        issuekind.save(small_model, name, version)


def test_unknown_model_or_version(home):
    with pytest.raises(IssuekindError, match="no model named 'nope'"):
        issuekind.load("nope")
    with pytest.raises(IssuekindError, match="no version >=9"):
        issuekind.load("default", ">=9")


def _saved(small_model, home):
    return issuekind.save(small_model, "team", "1.0.0")


def test_one_flipped_byte_in_the_weights_is_a_tamper_error(small_model, home):
    folder = _saved(small_model, home)
    data = bytearray((folder / WEIGHTS).read_bytes())
    data[100] ^= 0x01
    (folder / WEIGHTS).write_bytes(bytes(data))
    with pytest.raises(IssuekindError, match=r"team==1\.0\.0 .*weights\.npz does not match its sha256"):
        issuekind.load("team", "1.0.0")


def test_missing_extra_and_mismatched_files_are_named(small_model, home):
    folder = _saved(small_model, home)
    (folder / "features.json").unlink()
    with pytest.raises(IssuekindError, match=r"team==1\.0\.0 .*file features\.json is missing"):
        issuekind.load("team")
    folder = issuekind.save(small_model, "team", "1.0.1")
    (folder / "extra.bin").write_bytes(b"x")
    with pytest.raises(IssuekindError, match=r"team==1\.0\.1 .*extra\.bin is not listed"):
        issuekind.load("team", "1.0.1")


def _edit_manifest(folder, **changes):
    m = json.loads((folder / MANIFEST).read_text())
    for key, value in changes.items():
        m["library_versions"][key] = value
    (folder / MANIFEST).write_text(json.dumps(m))


def test_a_model_from_a_newer_issuekind_is_refused(small_model, home):
    folder = _saved(small_model, home)
    _edit_manifest(folder, issuekind="99.0.0")
    with pytest.raises(IssuekindError, match=r"team==1\.0\.0 .*made by issuekind 99\.0\.0"):
        issuekind.load("team")


def test_a_model_from_another_scikit_learn_loads_silently(small_model, sample, home, recwarn):
    folder = _saved(small_model, home)
    _edit_manifest(folder, **{"scikit-learn": "0.24.2", "numpy": "1.19.0", "spacy": "3.0.0"})
    texts, _ = sample
    assert np.array_equal(issuekind.load("team").predict_proba(texts), small_model.predict_proba(texts))
    assert len(recwarn) == 0


def test_loading_the_safe_format_never_unpickles(monkeypatch, sample):
    def refuse(*args, **kwargs):
        raise AssertionError("the loader tried to unpickle")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    monkeypatch.setattr(joblib, "load", refuse)
    texts, _ = sample
    assert len(issuekind.load().predict(texts[:3])) == 3


def _custom_pipeline(small_model):
    return Pipeline([("lower", FunctionTransformer(np.char.lower)), ("clf", small_model)])


def test_pickled_pipelines_need_trust_and_are_checked_first(small_model, sample, home):
    pipe = _custom_pipeline(small_model)
    with pytest.raises(IssuekindError, match="trust_pickle=True"):
        issuekind.save(pipe, "custom", "1.0.0")
    folder = issuekind.save(pipe, "custom", "1.0.0", trust_pickle=True)
    with pytest.raises(IssuekindError, match="trust=True"):
        issuekind.load("custom")
    texts, _ = sample
    assert issuekind.load("custom", trust=True).predict(texts[:2]) == pipe.predict(texts[:2])
    data = bytearray((folder / "model.joblib").read_bytes())
    data[-5] ^= 0x01
    (folder / "model.joblib").write_bytes(bytes(data))
    with pytest.raises(IssuekindError, match="model.joblib does not match its sha256"):
        issuekind.load("custom", trust=True)


def test_models_cli_lists_and_shows_cards(capsys):
    from issuekind.cli.main import main

    assert main(["models", "list"]) == 0
    assert "default          1.8.0" in capsys.readouterr().out
    assert main(["models", "show", "default"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# default 1.8.0") and "## Training data" in out and "## Metrics" in out
    assert find_model("default").name == "1.8.0"


def test_a_model_folder_path_loads_directly(small_model, sample, home):
    folder = issuekind.save(small_model, "team", "1.0.0")
    clf = issuekind.load(str(folder))
    assert clf.manifest_["name"] == "team" and clf.predict(sample[0][:3]) == small_model.predict(sample[0][:3])
    with pytest.raises(IssuekindError, match="not a model folder"):
        issuekind.load(str(folder.parent / "missing"))
