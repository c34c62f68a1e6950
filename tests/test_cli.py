import csv
import json
import subprocess
import sys

import pytest

from issuekind.cli.main import main
from issuekind.labels import LABELS
from conftest import SAMPLE, sample_rows


def run(*args):
    return subprocess.run([sys.executable, "-m", "issuekind.cli.main", *map(str, args)],
                          capture_output=True, text=True)


def test_csv_round_trip_keeps_every_row_and_column(tmp_path):
    out = tmp_path / "labelled.csv"
    assert main(["label", str(SAMPLE), "-o", str(out)]) == 0
    rows_in = sample_rows()
    with open(out, encoding="utf-8", newline="") as fh:
        rows_out = list(csv.DictReader(fh))
    assert len(rows_out) == len(rows_in)
    for a, b in zip(rows_in, rows_out):
        assert {k: b[k] for k in a} == a  # own columns untouched, same order of rows
        assert b["label"].split("/")[0] == b["kind"]
        assert 0 <= float(b["confidence"]) <= 1
    assert list(rows_out[0])[-4:] == ["label", "kind", "confidence", "error"]


def test_stdout_and_jsonl(tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [{"id": 1, "text": "App crashes on save", "tags": ["x"]}, {"id": 2, "text": ""},
            {"id": 3, "text": "How do I reset my password?"}]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = run("label", src)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 2, 3] and out[0]["tags"] == ["x"]
    assert out[1]["label"] == "" and out[0]["label"] in LABELS
    assert "labelled 3 rows" in result.stderr


def test_threshold_and_text_columns(tmp_path):
    out = tmp_path / "o.csv"
    assert main(["label", str(SAMPLE), "-o", str(out), "--text-columns", "title",
                 "--threshold", "1.01"]) == 0
    with open(out, encoding="utf-8", newline="") as fh:
        assert all(r["label"] == "" for r in csv.DictReader(fh))


@pytest.mark.parametrize("content,args,message", [
    (None, [], "does not exist"),
    ("id,title\n1,x\n", ["--text-columns", "title,summary"], "no column 'summary'"),
    ("id,name\n1,x\n", [], "cannot find the text columns"),
])
def test_bad_input_gives_a_clear_error_and_no_output(tmp_path, content, args, message):
    src = tmp_path / "in.csv"
    if content is not None:
        src.write_text(content)
    out = tmp_path / "out.csv"
    result = run("label", src, "-o", out, *args)
    assert result.returncode != 0
    assert message in result.stderr and str(src) in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == ([src] if content is not None else [])


def test_bad_jsonl_row_comes_out_with_its_line_and_no_label(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "App crashes on save"}\n{"text": broken}\n')
    result = run("label", src, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(out) == 2 and out[1]["label"] == "" and out[1]["error"].startswith("line 2: not valid JSON")
    assert out[1]["raw"] == '{"text": broken}'


def test_unknown_model_version_is_an_error(tmp_path):
    result = run("label", SAMPLE, "--model", "default==9.9.9")
    assert result.returncode != 0 and "no version 9.9.9" in result.stderr
