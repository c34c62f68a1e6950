import json
import subprocess
import sys

import numpy as np
import pytest

import issuekind
from issuekind.storage.model_format import WEIGHTS, load_model, save_model


def test_saved_model_reloads_with_identical_probabilities(small_model, sample, tmp_path):
    texts, _ = sample
    folder = save_model(small_model, tmp_path / "m" / "1.0.0", name="m", version="1.0.0")
    again = load_model(folder)
    assert list(again.classes_) == list(small_model.classes_)
    assert np.array_equal(again.predict_proba(texts), small_model.predict_proba(texts))
    assert again.get_params() == small_model.get_params()


def test_predict_only_load_classifies_the_same_without_scikit_learn(sample):
    texts, _ = sample
    full = issuekind.load()
    folder = full.model_path_
    light = load_model(folder, predict_only=True)
    a, pa = full._classify(full.transform_texts(texts), n_terms=3)
    b, pb = light._classify(light.transform_texts(texts), n_terms=3)
    assert a == b and np.array_equal(pa, pb)
    # What a worker of `issuekind label --jobs N` does, in a fresh process.
    code = ("import sys; from issuekind.backlog import _label_texts; "
            "rows = _label_texts(sys.argv[1], ['App crashes on save'], None, {}, 1); "
            "print(rows[0][0], 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, folder], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [full.predict(["App crashes on save"])[0], "False"]


def test_reload_in_a_separate_process_gives_identical_probabilities(small_model, sample, tmp_path):
    texts, _ = sample
    folder = save_model(small_model, tmp_path / "m", name="m", version="1.0.0")
    code = ("import json,sys,issuekind; clf=issuekind.load_model(sys.argv[1]); "
            "print(json.dumps(clf.predict_proba(json.load(sys.stdin)).tolist()))")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], input=json.dumps(texts[:8]),
                         capture_output=True, text=True, check=True).stdout
    assert np.array_equal(np.array(json.loads(out)), small_model.predict_proba(texts[:8]))


def test_a_changed_weight_file_is_refused(small_model, tmp_path):
    folder = save_model(small_model, tmp_path / "m", name="m", version="1.0.0")
    data = bytearray((folder / WEIGHTS).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / WEIGHTS).write_bytes(bytes(data))
    with pytest.raises(issuekind.IssuekindError, match=r"m==1\.0\.0.*weights\.npz.*sha256"):
        load_model(folder)


def test_saving_over_an_existing_model_fails(small_model, tmp_path):
    save_model(small_model, tmp_path / "m", name="m", version="1.0.0")
    with pytest.raises(issuekind.IssuekindError, match="already exists"):
        save_model(small_model, tmp_path / "m", name="m", version="1.0.0")


def test_weights_hold_no_pickled_objects(small_model, tmp_path):
    folder = save_model(small_model, tmp_path / "m", name="m", version="1.0.0")
    with np.load(folder / WEIGHTS, allow_pickle=False) as arrays:
        assert all(arrays[k].dtype != object for k in arrays.files)
