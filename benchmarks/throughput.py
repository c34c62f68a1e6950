"""Throughput and memory of `issuekind label`, side by side with fastText and spaCy's tokenizer.

    python benchmarks/throughput.py [--data-dir ../shared/datasets] [--rows 200000] [--big-rows 1000000]

1. Builds a CSV of ``--rows`` distinct real texts from the shared datasets; where they run
   out, new texts are spliced from the first half of one text and the second half of
   another, so every row is distinct and nothing can be answered from a cache.
2. Times, on those same texts and in this one run:
   - fastText prediction, one thread (a supervised model trained here, wordNgrams=2), and
     `issuekind label` end to end, file to file, with all cores: alternately, ``--repeat``
     times each (fastText first and last). The speed of a machine with shared cores drifts
     by a third within a run, so each side's rate is its fastest run, the one the machine
     disturbed least (as ``timeit`` does); every run and the ratio of each issuekind run to
     the fastText runs just before and after it are printed too;
   - `issuekind label` with `--jobs 1`;
   - spaCy's English tokenizer alone (`spacy.blank("en").tokenizer.pipe`), and
     issuekind's own ``issue`` tokenizer alone (block cleaning and spaCy with issue rules).
   and prints rows/s and the ratios.
3. Labels a ``--big-rows`` CSV with all cores and prints the peak resident memory of the
   whole process tree (main process plus workers), sampled from /proc.

Needs the ``bench`` extra (fasttext-wheel).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import issuekind
from issuekind.datasets.corpus import mapped_rows
from issuekind.datasets.sources import SOURCES, resolve_data_dir


def real_texts(data_dir) -> list[str]:
    seen, out = set(), []
    for source in SOURCES.values():
        for row in source.rows(data_dir):
            text = row.text.strip()
            if text and text not in seen:
                seen.add(text)
                out.append(text)
    return out


def distinct_texts(pool: list[str], n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    texts = list(pool[:n])
    seen = set(texts)
    while len(texts) < n:
        a, b = rng.sample(pool, 2)
        spliced = a[: len(a) // 2] + " " + b[len(b) // 2:]
        if spliced not in seen:
            seen.add(spliced)
            texts.append(spliced)
    rng.shuffle(texts)
    return texts


def write_csv(path: Path, texts: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        for i, t in enumerate(texts):
            w.writerow([i, t])


def fasttext_predictor(data_dir):
    """A fastText model trained here on the mapped public rows, as a one-text predict call."""
    import fasttext

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train.txt")
        with open(path, "w", encoding="utf-8") as fh:
            for r in mapped_rows(data_dir):
                fh.write(f"__label__{r.label} {_fasttext_line(r.text)}\n")
        model = fasttext.train_supervised(path, wordNgrams=2, epoch=5, thread=1, verbose=0, seed=0)
    predict = model.f.predict  # fasttext-wheel's predict() trips over numpy 2
    return lambda text: predict(_fasttext_line(text) + "\n", 1, 0.0, "strict")


def _fasttext_line(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def fasttext_rate(predict, texts: list[str]) -> float:
    start = time.perf_counter()
    for t in texts:
        predict(t)
    return len(texts) / (time.perf_counter() - start)


def tokenizer_rate(texts: list[str]) -> float:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    start = time.perf_counter()
    for _ in tokenizer.pipe(texts, batch_size=1000):
        pass
    return len(texts) / (time.perf_counter() - start)


def issue_tokenizer_rate(texts: list[str], max_chars: int) -> float:
    """issuekind's own ``issue`` tokenizer (block cleaning + spaCy with issue rules), fresh,
    reading as many characters of each text as the model does."""
    from issuekind.pipeline.normalize import normalize_blocks
    from issuekind.pipeline.tokenize import IssueTokenizer

    tokenizer = IssueTokenizer()
    start = time.perf_counter()
    for _ in tokenizer.stream(normalize_blocks(t, max_chars) for t in texts):
        pass
    return len(texts) / (time.perf_counter() - start)


def tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, from /proc (Linux)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree, changed = {root}, True
    while changed:
        changed = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                changed = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def label_run(src: Path, out: Path, jobs: int, measure_memory: bool = False,
              model: str | None = None) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "issuekind.cli.main", "label", str(src), "-o", str(out),
           "--jobs", str(jobs), "--quiet"] + (["--model", model] if model else [])
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kib(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    if measure_memory:
        sampler.start()
    if proc.wait() != 0:
        raise SystemExit(f"issuekind label failed: {cmd}")
    elapsed = time.perf_counter() - start
    if measure_memory:
        sampler.join()
    return elapsed, peak[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--big-rows", type=int, default=1_000_000, help="0 skips the memory run")
    parser.add_argument("--model", help="model to label with (default: the bundled default)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="times fastText and issuekind with all cores are each timed")
    args = parser.parse_args()
    data_dir = resolve_data_dir(args.data_dir)
    pool = real_texts(data_dir)
    texts = distinct_texts(pool, args.rows)
    print(f"{len(pool)} distinct real texts; benchmark on {len(texts)} distinct texts "
          f"(mean {sum(map(len, texts)) / len(texts):.0f} characters)\n")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "backlog.csv"
        write_csv(src, texts)
        predict = fasttext_predictor(data_dir)
        tok = tokenizer_rate(texts)
        model = issuekind.load(args.model or "default")
        print(f"model {model.manifest_['name']} {model.manifest_['version']} "
              f"(reads the first {model.max_chars:,} characters of a text)\n")
        own = issue_tokenizer_rate(texts, model.max_chars)
        one, _ = label_run(src, Path(tmp) / "out1.csv", 1, model=args.model)
        rate1 = len(texts) / one
        cores = os.cpu_count() or 1
        # The machine's speed drifts (shared cores): fastText and issuekind take turns.
        fast_runs, many_runs = [fasttext_rate(predict, texts)], []
        for _ in range(max(args.repeat, 1)):
            many, _ = label_run(src, Path(tmp) / "outN.csv", -1, model=args.model)
            many_runs.append(len(texts) / many)
            fast_runs.append(fasttext_rate(predict, texts))
        same = (Path(tmp) / "out1.csv").read_bytes() == (Path(tmp) / "outN.csv").read_bytes()
        fast, rateN = max(fast_runs), max(many_runs)
        paired = sorted(r / ((a + b) / 2) for r, a, b in zip(many_runs, fast_runs, fast_runs[1:]))
        print("runs, in turn (rows/s): " + ", ".join(
            f"fastText {f:,.0f}, issuekind {n:,.0f}" for f, n in zip(fast_runs, many_runs))
            + f", fastText {fast_runs[-1]:,.0f}")
        print(f"fastText predict, 1 thread          {fast:10,.0f} rows/s  (fastest of {len(fast_runs)})")
        print(f"spaCy tokenizer alone (English)     {tok:10,.0f} rows/s")
        print(f"issuekind 'issue' tokenizer alone   {own:10,.0f} rows/s")
        print(f"issuekind label --jobs 1            {rate1:10,.0f} rows/s")
        print(f"issuekind label --jobs -1 ({cores} cores) {rateN:10,.0f} rows/s  (fastest of "
              f"{len(many_runs)}; same output as --jobs 1: {same})")
        print(f"\nratio issuekind all cores / fastText 1 thread:   {rateN / fast:.2f}  (target >= 1; "
              f"run by run against the fastText runs around it: median "
              f"{statistics.median(paired):.2f}, from {paired[0]:.2f} to {paired[-1]:.2f})")
        print(f"ratio issuekind --jobs 1 / spaCy tokenizer:      {rate1 / tok:.2f}  (target >= 0.6)")
        print(f"ratio issuekind --jobs 1 / 'issue' tokenizer:    {rate1 / own:.2f}")
        if args.big_rows:
            big = Path(tmp) / "big.csv"
            write_csv(big, distinct_texts(pool, args.big_rows, seed=1))
            elapsed, peak = label_run(big, Path(tmp) / "big_out.csv", -1, measure_memory=True,
                                      model=args.model)
            print(f"\n{args.big_rows:,} rows, all cores: {args.big_rows / elapsed:,.0f} rows/s, "
                  f"peak RSS of the process tree {peak / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
