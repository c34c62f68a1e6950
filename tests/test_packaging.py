"""A model packaged as a wheel installs into a new virtual environment and predicts the same."""

import json
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import numpy as np

import issuekind
from issuekind.cli.main import main
from issuekind.storage.packaging import build_wheel


def test_packaged_model_installs_in_a_new_venv_and_predicts_the_same(sample, tmp_path):
    texts, labels = sample
    tiny = issuekind.IssueClassifier(min_df=1, calibration_folds=2).fit(texts, labels)
    folder = issuekind.save(tiny, "tiny", "0.3.1", home=tmp_path / "home")
    wheel = build_wheel(folder, tmp_path / "dist")
    assert wheel.name == "issuekind_tiny-0.3.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read("issuekind_tiny-0.3.1.dist-info/METADATA").decode()
    assert "Requires-Dist: issuekind>=" in metadata and "# tiny 0.3.1" in metadata

    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    env_python = env / "bin" / "python"
    purelib = subprocess.run([str(env_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # issuekind and its dependencies come from this test's environment; the model package
    # itself is installed into the new venv by pip, from the wheel.
    ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages(),
            str(Path(issuekind.__file__).resolve().parents[1])}  # also an editable install
    (tmp_path / "venv.pth").write_text("\n".join(sorted(ours)) + "\n")
    (tmp_path / "venv.pth").replace(f"{purelib}/_deps_from_test.pth")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env_python), "install",
                    "--no-deps", "--no-index", "--quiet", str(wheel)], check=True)
    code = ("import json, sys, issuekind_tiny; clf = issuekind_tiny.load(); "
            "print(json.dumps([issuekind_tiny.__file__, clf.predict_proba(json.load(sys.stdin)).tolist()]))")
    run = subprocess.run([str(env_python), "-c", code], input=json.dumps(texts), capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    where, proba = json.loads(run.stdout)
    assert where.startswith(str(env))
    assert np.array_equal(np.array(proba), tiny.predict_proba(texts))


def test_package_command_builds_the_default_model_wheel(tmp_path):
    assert main(["package", "default==1.1.0", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "issuekind_default-1.1.0-py3-none-any.whl").is_file()
