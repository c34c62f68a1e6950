"""Labelling whole backlogs: formats, bad rows, parallel jobs, interruption and resume, Dask."""

import csv
import json
import signal
import subprocess
import sys
import time

import pytest

import issuekind
from issuekind.backlog import label_backlog
from issuekind.cli.main import main
from conftest import SAMPLE, sample_rows

pytest.importorskip("pyarrow")
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402


@pytest.fixture(scope="module")
def clf():
    return issuekind.load()


def _read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_round_trip_keeps_rows_columns_and_order(clf, tmp_path):
    out = tmp_path / "o.csv"
    summary = label_backlog(clf, SAMPLE, out, chunk_size=7)
    rows_in, rows_out = _read_csv(SAMPLE), _read_csv(out)
    assert len(rows_out) == len(rows_in) and summary["rows"] == len(rows_in) - 1
    assert rows_out[0] == rows_in[0] + ["label", "kind", "confidence", "error"]
    assert all(o[:len(i)] == i for i, o in zip(rows_in, rows_out))


def test_jsonl_and_parquet_round_trips(clf, tmp_path):
    rows = sample_rows()
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({**r, "n": i, "tags": ["x"]}) + "\n" for i, r in enumerate(rows)))
    label_backlog(clf, src, tmp_path / "o.jsonl", chunk_size=9)
    out = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert [o["n"] for o in out] == list(range(len(rows))) and out[0]["tags"] == ["x"]

    pq.write_table(pa.Table.from_pylist([{**r, "n": i} for i, r in enumerate(rows)]), tmp_path / "in.parquet")
    label_backlog(clf, tmp_path / "in.parquet", tmp_path / "o.parquet", chunk_size=10)
    table = pq.read_table(tmp_path / "o.parquet").to_pylist()
    assert [t["n"] for t in table] == list(range(len(rows)))
    assert [t["label"] for t in table] == [o["label"] for o in out]
    assert table[0]["title"] == rows[0]["title"]


def test_csv_to_parquet_and_jsonl_to_csv(clf, tmp_path):
    label_backlog(clf, SAMPLE, tmp_path / "o.parquet")
    assert pq.read_table(tmp_path / "o.parquet").num_rows == len(sample_rows())
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": r["title"]}) + "\n" for r in sample_rows()))
    label_backlog(clf, src, tmp_path / "o.csv")
    assert len(_read_csv(tmp_path / "o.csv")) == len(sample_rows()) + 1


def test_github_export(clf, tmp_path):
    issues = [{"number": 10 + i, "title": r["title"], "body": r["body"],
               "labels": [{"name": "triage"}], "user": {"login": "someone"}}
              for i, r in enumerate(sample_rows()[:6])]
    issues[2]["pull_request"] = {"url": "https://example.invalid/pulls/12"}
    issues[3]["body"] = None
    src = tmp_path / "issues.json"
    src.write_text(json.dumps(issues))
    assert main(["label", str(src), "-o", str(tmp_path / "o.jsonl"), "--quiet"]) == 0
    out = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert [o["number"] for o in out] == [10, 11, 12, 13, 14, 15]
    assert out[2]["pull_request"] and out[0]["labels"] == [{"name": "triage"}]
    assert all(o["label"] for o in out)  # a title alone is enough text


def test_jira_export_with_repeated_column_names(clf, tmp_path):
    src = tmp_path / "jira.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Summary", "Issue key", "Description", "Custom field (Team)", "Custom field (Team)"])
        for i, r in enumerate(sample_rows()[:5]):
            w.writerow([r["title"], f"PRJ-{i}", r["body"], "alpha", "beta"])
    assert main(["label", str(src), "-o", str(tmp_path / "o.csv"), "--quiet"]) == 0
    out = _read_csv(tmp_path / "o.csv")
    assert out[0][:5] == ["Summary", "Issue key", "Description", "Custom field (Team)", "Custom field (Team)"]
    assert [r[3:5] for r in out[1:]] == [["alpha", "beta"]] * 5 and all(r[5] for r in out[1:])


def test_bad_rows_come_out_with_an_error_and_no_label(clf, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_bytes(b"title,body\nApp crashes on save,NPE\n,\nonly one field\n"
                    b"Caf\xe9 broken,latin-1 bytes\nHow do I reset my password?,\n")
    label_backlog(clf, src, tmp_path / "o.csv")
    raw = (tmp_path / "o.csv").read_bytes()
    assert b"Caf\xe9 broken" in raw  # the bytes come back as they were
    with open(tmp_path / "o.csv", encoding="utf-8", errors="surrogateescape", newline="") as fh:
        out = list(csv.reader(fh))
    assert len(out) == 6
    errors = [r[-1] for r in out[1:]]
    labels = [r[-4] for r in out[1:]]
    assert errors == ["", "empty text", "row has 1 fields, the header has 2", "text is not valid UTF-8", ""]
    assert [bool(x) for x in labels] == [True, False, False, False, True]


def test_csv_rows_are_written_back_byte_for_byte(clf, tmp_path):
    # Quoting the writer would not choose, CRLF line ends, a newline inside a cell, bytes
    # that are not UTF-8, a row too short and an empty one: each comes back as it was read.
    rows = [b'"id","title","body"', b'"1","App ""crashes"" on save","NPE,\r\nat x"',
            b"2,Caf\xe9 broken,latin-1", b"3,only two", b'4,"",', b"5,How do I reset my password?,"]
    src = tmp_path / "odd.csv"
    src.write_bytes(b"\r\n".join(rows))  # no line end after the last row
    label_backlog(clf, src, tmp_path / "o.csv")
    out = (tmp_path / "o.csv").read_bytes()
    body = out.split(b"\n", 1)[1]
    assert body.startswith(rows[1] + b",maintenance/")  # the row, then the new cells
    for row in (rows[1], rows[2], rows[4], rows[5]):
        assert row + b"," in body
    with open(tmp_path / "o.csv", encoding="utf-8", errors="surrogateescape", newline="") as fh:
        cells = list(csv.reader(fh))
    assert [r[0] for r in cells[1:]] == ["1", "2", "3", "4", "5"]
    assert cells[1][2] == "NPE,\r\nat x" and cells[3][:2] == ["3", "only two"]
    assert [r[-1] for r in cells[1:]] == ["", "text is not valid UTF-8",
                                           "row has 2 fields, the header has 3", "empty text", ""]


def test_a_lone_surrogate_escape_in_json_is_an_error_row_not_a_failed_run(clf, tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text('{"title": "bad \\ud800 x", "body": "y"}\n{"title": "App crashes", "body": "NPE"}\n')
    label_backlog(clf, src, tmp_path / "o.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert rows[0]["title"] == "bad \ud800 x"  # written back as the same JSON escape
    assert [r["error"] for r in rows] == ["text is not valid UTF-8", ""] and rows[1]["label"]
    label_backlog(clf, src, tmp_path / "o.csv")  # CSV cannot hold it: its escape, as text
    assert _read_csv(tmp_path / "o.csv")[1][:2] == ["bad \\ud800 x", "y"]
    # Nor can Parquet, nor a byte that is not UTF-8 in a CSV: escapes, and every row kept.
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"title,body\nCaf\xe9 broken,x\nApp crashes,NPE\n")
    for path in (src, latin):
        label_backlog(clf, path, tmp_path / "o.parquet")
        rows = pq.read_table(tmp_path / "o.parquet").to_pylist()
        assert [r["error"] for r in rows] == ["text is not valid UTF-8", ""] and rows[1]["label"]
        assert rows[0]["title"] in ("bad \\ud800 x", "Caf\\xe9 broken")


def _big_csv(path, copies=40):
    rows = sample_rows()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "body"])
        for k in range(copies):
            for r in rows:
                w.writerow([f"{r['id']}-{k}", r["title"], f"{r['body']} (copy {k})"])
    return path


def test_jobs_2_writes_the_same_file_as_jobs_1(tmp_path):
    src = _big_csv(tmp_path / "big.csv", copies=20)
    assert main(["label", str(src), "-o", str(tmp_path / "j1.csv"), "--jobs", "1", "--chunk-size", "100", "--quiet"]) == 0
    assert main(["label", str(src), "-o", str(tmp_path / "j2.csv"), "--jobs", "2", "--chunk-size", "100", "--quiet"]) == 0
    assert (tmp_path / "j1.csv").read_bytes() == (tmp_path / "j2.csv").read_bytes()


def test_interrupted_run_resumes_to_identical_output(clf, tmp_path, monkeypatch):
    src = _big_csv(tmp_path / "big.csv", copies=10)
    label_backlog(clf, src, tmp_path / "whole.csv", chunk_size=50)
    from issuekind import backlog

    original = backlog._Output.chunk_written
    calls = {"n": 0}

    def interrupt_after_three(self, records, extras):
        original(self, records, extras)
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(backlog._Output, "chunk_written", interrupt_after_three)
    with pytest.raises(KeyboardInterrupt):
        label_backlog(clf, src, tmp_path / "out.csv", chunk_size=50)
    assert not (tmp_path / "out.csv").exists()
    monkeypatch.setattr(backlog._Output, "chunk_written", original)
    summary = label_backlog(clf, src, tmp_path / "out.csv", chunk_size=50, resume=True)
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert summary["rows"] == 10 * len(sample_rows())
    assert not list(tmp_path.glob(".out.csv*"))  # no partial or state file left


def test_killed_process_resumes_to_identical_output(tmp_path):
    src = _big_csv(tmp_path / "big.csv", copies=60)
    args = [sys.executable, "-m", "issuekind.cli.main", "label", str(src), "--jobs", "1",
            "--chunk-size", "40", "--quiet"]
    subprocess.run(args + ["-o", str(tmp_path / "whole.csv")], check=True)
    proc = subprocess.Popen(args + ["-o", str(tmp_path / "out.csv")])
    state = tmp_path / ".out.csv.resume.json"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if state.exists() and json.loads(state.read_text() or "{}").get("chunks_done", 0) >= 3:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait()
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be killed")
    assert not (tmp_path / "out.csv").exists()
    subprocess.run(args + ["-o", str(tmp_path / "out.csv"), "--resume"], check=True)
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()


def test_label_map_and_top_k(tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"maintenance/corrective": "type: bug", "support/l1": "question"}))
    out = tmp_path / "o.csv"
    assert main(["label", str(SAMPLE), "-o", str(out), "--label-map", str(mapping), "--top-k", "2", "--quiet"]) == 0
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert "type: bug" in {r["label"] for r in rows}
    assert "maintenance/corrective" not in {r["label"] for r in rows}
    for r in rows:
        assert r["label_2"] and r["label_3"] and r["label_2"] != r["label"]
        assert float(r["confidence"]) >= float(r["confidence_2"]) >= float(r["confidence_3"])


def test_new_cells_are_quoted_where_csv_needs_it(clf, tmp_path):
    # Label names from a label map may hold commas, quotes and line breaks; a CSV reader
    # gets each back whole, and the input columns are untouched.
    forms = [lambda c: f"plain {c}", lambda c: f'{c}, "x"\r\ny', lambda c: f"{c}\nz"]
    names = {c: forms[i % 3](c) for i, c in enumerate(clf.classes_)}
    out = tmp_path / "o.csv"
    summary = label_backlog(clf, SAMPLE, out, label_map=names, top_k=2)
    assert summary["errors"] == 0
    written = _read_csv(out)
    assert written[1:] and all(len(r) == len(written[0]) for r in written)
    got = {r[written[0].index(k)] for r in written[1:] for k in ("label", "label_2", "label_3")}
    assert got <= set(names.values()) | {""}
    assert any("\r\n" in g for g in got) and any(g.endswith("\nz") for g in got)
    assert [r[:len(sample_rows()[0])] for r in written[1:]] == [list(r.values()) for r in sample_rows()]


def test_summary_on_stderr_unless_quiet(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "issuekind.cli.main", "label", str(SAMPLE),
                                     "-o", str(tmp_path / "o.csv"), *a], capture_output=True, text=True)
    assert "labelled 56 rows" in run().stderr
    assert run("--quiet").stderr == ""


def test_dask_labels_match_the_local_run(clf, tmp_path):
    pytest.importorskip("distributed")
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client, LocalCluster

    import issuekind.dask

    src = _big_csv(tmp_path / "big.csv", copies=3)
    label_backlog(clf, src, tmp_path / "local.csv", chunk_size=30)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster):
        assert main(["label", str(src), "-o", str(tmp_path / "dask.csv"), "--scheduler",
                     cluster.scheduler_address, "--chunk-size", "30", "--quiet"]) == 0
        frame = pd.read_csv(src, dtype=str, keep_default_na=False)
        labelled = issuekind.dask.label(dd.from_pandas(frame, npartitions=4), clf).compute()
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    with open(tmp_path / "local.csv", encoding="utf-8", newline="") as fh:
        local = [r["label"] for r in csv.DictReader(fh)]
    assert list(labelled["label"]) == local
