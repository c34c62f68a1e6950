"""Label a whole backlog file: every row in, every row out, in order, in bounded memory.

The input is read and labelled in chunks; chunks are labelled on ``jobs`` processes (joblib)
and written in input order to a partial file beside the output, which is renamed into place
only at the end. After each chunk, a small state file records how far the run got, so an
interrupted run continues with ``resume=True`` and ends with the same bytes an uninterrupted
run writes. A row that cannot be labelled (empty, unreadable) still comes out, with the
reason in the ``error`` column and no label.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from issuekind.errors import IssuekindError
from issuekind.formats import Reader, Writer, output_format
from issuekind.heap import keep_heap
from issuekind.pipeline.gcpause import gc_paused

OUTPUT_COLUMNS = ["label", "kind", "confidence", "error"]
CHUNK = 2000
STATE_VERSION = 1


def label_backlog(model, input_path: str | Path, output_path: str | Path | None = None,
                  text_columns: list[str] | None = None, threshold: float | None = None,
                  fmt: str | None = None, *, jobs: int = 1, chunk_size: int = CHUNK,
                  resume: bool = False, label_map: dict[str, str] | None = None, top_k: int = 0,
                  progress: bool | None = None, scheduler: str | None = None) -> dict:
    """Label every row of a backlog file and write it back out with ``label``, ``kind``,
    ``confidence`` and ``error`` columns added (and ``label_2``/``confidence_2``... with
    ``top_k``).

    Parameters
    ----------
    model : IssueClassifier or path of a model folder
        With ``jobs > 1``, a model loaded from a folder is loaded once per worker process.
    input_path, output_path : paths; ``output_path=None`` writes to standard output.
    text_columns : list of str, optional; by default title+body, summary+description or text.
    threshold : float, optional; confidence below which the label is left empty.
    fmt : ``csv``, ``jira``, ``jsonl``, ``github`` or ``parquet``; by default detected.
    jobs : int, default=1; processes to label with (-1: all cores). Output is the same.
    resume : bool; continue an interrupted run of the same command.
    label_map : dict; rename our labels to the repository's own label names in the output.
    top_k : int; add the next ``top_k`` labels with their probabilities.
    progress : bool or None; a progress line on standard error (None: when it is a terminal).
    scheduler : str, optional; address of a Dask scheduler: chunks are labelled on its
        workers (the model is sent to each worker once) instead of local processes.

    Returns a summary: rows, label counts, rows not labelled (errors and cannot-tell),
    rows with errors, elapsed seconds.

    The processes that label (this one with ``jobs=1``) keep freed memory in their C heap
    for the next chunk (:func:`issuekind.heap.keep_heap`), and Python's cyclic garbage
    collector is paused while chunks are labelled and written.

    Examples
    --------
    >>> import issuekind, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "in.csv")
    >>> _ = open(path, "w").write("title,body\\nApp crashes on save,NullPointerException\\n,\\n")
    >>> s = label_backlog(issuekind.load(), path, path + ".out.csv")
    >>> s["rows"], s["errors"]
    (2, 1)
    """
    start = time.perf_counter()
    reader = Reader(input_path, fmt, text_columns)
    out_fmt = output_format(output_path, reader.format)
    extra_columns = OUTPUT_COLUMNS + [c for k in range(2, top_k + 2)
                                      for c in (f"label_{k}", f"confidence_{k}")]
    show = sys.stderr.isatty() if progress is None else progress
    meter = _Progress(reader.estimated_rows()) if show else None
    options = {"text_columns": reader.text_columns, "threshold": threshold, "format": reader.format,
               "output_format": out_fmt, "chunk_size": chunk_size, "label_map": label_map,
               "top_k": top_k, "model": _model_id(model)}
    labeller = _Labeller(model, threshold, label_map or {}, top_k)
    # The cyclic garbage collector is paused: rows are read and written by the thousand and
    # make no reference cycles, yet it would walk them (and every object of this process)
    # over and over, about a seventh of this process's time.
    with _Output(output_path, reader, options, resume, out_fmt) as out, gc_paused():
        writer = Writer(out.fh, out_fmt, reader, extra_columns)
        if out.chunks_done == 0:
            writer.header()
        chunks = _skip(reader.chunks(chunk_size), out.chunks_done)
        batches = labeller.run_dask(chunks, scheduler) if scheduler else labeller.run(chunks, jobs)
        for records, extras in batches:
            writer.write(records, extras)
            out.chunk_written(records, extras)
            if meter:
                meter.update(out.summary["rows"])
        writer.close()
    if meter:
        meter.done()
    summary = dict(out.summary)
    summary["labels"] = dict(sorted(summary["labels"].items()))
    summary["elapsed"] = round(time.perf_counter() - start, 3)
    return summary


def _skip(chunks, n: int):
    for i, chunk in enumerate(chunks):
        if i >= n:
            yield chunk


def _model_id(model) -> str:
    if isinstance(model, (str, Path)):
        return str(Path(model).resolve())
    manifest = getattr(model, "manifest_", None)
    if manifest:
        return f"{manifest.get('name')}=={manifest.get('version')}"
    return getattr(model, "training_fingerprint_", type(model).__name__)


# -- labelling, in this process or in joblib workers --------------------------------------

_WORKER_MODELS: dict = {}


def _load_cached(ref):
    if not isinstance(ref, (str, Path)):
        return ref
    key = str(ref)
    if key not in _WORKER_MODELS:
        from issuekind.storage.model_format import load_model

        _WORKER_MODELS[key] = load_model(key, predict_only=True)
    return _WORKER_MODELS[key]


def _label_texts(ref, texts: list[str], threshold, label_map: dict, top_k: int) -> list[list]:
    keep_heap()
    clf = _load_cached(ref)
    with gc_paused():  # thousands of predictions and rows, and no reference cycles
        return _rows(clf, texts, threshold, label_map, top_k)


def _rows(clf, texts: list[str], threshold, label_map: dict, top_k: int) -> list[list]:
    out = []
    predictions, proba = clf._classify(clf.transform_texts(texts), threshold, n_terms=0)
    classes = list(clf.classes_)
    for i, p in enumerate(predictions):
        row = [label_map.get(p.label, p.label) if p.label else "", p.kind or "",
               f"{p.confidence:.4f}", ""]
        if top_k:
            order = proba[i].argsort()[::-1][1:top_k + 1]
            for j in order:
                row += [label_map.get(classes[j], classes[j]), f"{proba[i, j]:.4f}"]
        out.append(row)
    return out


class _Labeller:
    def __init__(self, model, threshold, label_map, top_k):
        self.model, self.threshold, self.label_map, self.top_k = model, threshold, label_map, top_k
        self.blank = [""] * (2 * top_k)

    def _extras(self, records, labelled) -> list[list]:
        labelled = iter(labelled)
        return [["", "", "", r.error] + self.blank if r.error else next(labelled) for r in records]

    def run(self, chunks, jobs: int):
        """Yield (records, extra cells) per chunk, in input order."""
        chunks = iter(chunks)
        first = list(itertools.islice(chunks, 2))
        chunks = itertools.chain(first, chunks)
        if jobs == 1 or len(first) < 2:  # one chunk: starting workers costs more than it saves
            ref = _load_cached(self.model)
            for records in chunks:
                texts = [r.text for r in records if not r.error]
                yield records, self._extras(records, _label_texts(ref, texts, self.threshold,
                                                                  self.label_map, self.top_k))
            return
        from joblib import Parallel, delayed

        ref = self._shippable()
        pending: list = []

        def tasks():
            for records in chunks:
                pending.append(records)
                yield delayed(_label_texts)(ref, [r.text for r in records if not r.error],
                                            self.threshold, self.label_map, self.top_k)

        parallel = Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs")
        for labelled in parallel(tasks()):
            records = pending.pop(0)
            yield records, self._extras(records, labelled)

    def run_dask(self, chunks, address: str):
        """Like :meth:`run`, on the workers of the Dask scheduler at ``address``."""
        try:
            from distributed import Client
        except ImportError:
            raise IssuekindError("E408", "--scheduler needs Dask: pip install \"issuekind[dask]\".") from None
        with Client(address) as client:
            model = client.scatter(_load_cached(self.model), broadcast=True)  # once per worker
            window = 2 * max(len(client.scheduler_info()["workers"]), 1)
            pending: list = []
            for records in chunks:
                texts = [r.text for r in records if not r.error]
                pending.append((records, client.submit(_label_texts, model, texts, self.threshold,
                                                       self.label_map, self.top_k, pure=False)))
                if len(pending) >= window:
                    done, future = pending.pop(0)
                    yield done, self._extras(done, future.result())
            for done, future in pending:
                yield done, self._extras(done, future.result())

    def _shippable(self):
        # Workers load a saved model from its folder once each, instead of receiving the
        # whole model with every chunk.
        if isinstance(self.model, (str, Path)):
            return str(self.model)
        return getattr(self.model, "model_path_", None) or self.model


# -- output: atomic, resumable ------------------------------------------------------------

class _Output:
    """The partial output file and its resume state; renamed into place on success."""

    def __init__(self, path, reader: Reader, options: dict, resume: bool, fmt: str):
        self.path = Path(path) if path is not None else None
        self.reader, self.options, self.resume, self.format = reader, options, resume, fmt
        self.chunks_done = 0
        self.summary = {"rows": 0, "labels": Counter(), "unlabelled": 0, "errors": 0}

    def __enter__(self):
        if self.path is None:
            if self.resume:
                raise IssuekindError("E404", "--resume needs an output file (-o).")
            self.fh = sys.stdout.buffer
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.partial = self.path.with_name(f".{self.path.name}.partial")
        self.state_file = self.path.with_name(f".{self.path.name}.resume.json")
        self.input_id = _file_id(self.reader.path)
        state = self._read_state() if self.resume else None
        if state is not None:
            if self.format == "parquet":
                raise IssuekindError("E405", "a Parquet output cannot be resumed; run again without --resume.")
            self.fh = open(self.partial, "r+b")
            self.fh.truncate(state["output_bytes"])
            self.fh.seek(state["output_bytes"])
            self.chunks_done = state["chunks_done"]
            self.summary = {**state["summary"], "labels": Counter(state["summary"]["labels"])}
        else:
            self.fh = open(self.partial, "wb")
        return self

    def _read_state(self):
        if not (self.state_file.is_file() and self.partial.is_file()):
            print(f"issuekind: nothing to resume for {self.path}; starting from the beginning.",
                  file=sys.stderr)
            return None
        state = json.loads(self.state_file.read_text())
        if (state.get("version") != STATE_VERSION or state.get("input") != self.input_id
                or state.get("options") != self.options):
            raise IssuekindError("E406", f"cannot resume {self.path}: the input file or the options "
                                         "differ from the interrupted run. Run again without --resume.")
        return state

    def chunk_written(self, records, extras) -> None:
        s = self.summary
        s["rows"] += len(records)
        for rec, ext in zip(records, extras):
            if rec.error:
                s["errors"] += 1
                s["unlabelled"] += 1
            elif ext[0]:
                s["labels"][ext[0]] += 1
            else:
                s["unlabelled"] += 1
        self.chunks_done += 1
        if self.path is None or self.format == "parquet":
            return
        self.fh.flush()
        os.fsync(self.fh.fileno())
        state = {"version": STATE_VERSION, "input": self.input_id, "options": self.options,
                 "chunks_done": self.chunks_done, "output_bytes": self.fh.tell(),
                 "summary": {**s, "labels": dict(s["labels"])}}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state))
        os.replace(tmp, self.state_file)

    def __exit__(self, exc_type, exc, tb):
        if self.path is None:
            self.fh.flush()
            return False
        self.fh.close()
        if exc_type is None:
            os.replace(self.partial, self.path)
            self.state_file.unlink(missing_ok=True)
        elif not issubclass(exc_type, (KeyboardInterrupt, SystemExit)) or self.format == "parquet":
            # A failure (not an interruption) leaves nothing behind; an interrupted run keeps
            # its partial file and state for --resume.
            self.partial.unlink(missing_ok=True)
            self.state_file.unlink(missing_ok=True)
        return False


def _file_id(path: Path) -> dict:
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


class _Progress:
    """rows, rows/s and time left on one line of standard error."""

    def __init__(self, total: int | None):
        self.start = time.perf_counter()
        self.total = total
        self.last = 0.0

    def update(self, rows: int, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = rows / elapsed
        left = ""
        if self.total and rate > 0:
            left = f"  about {max(self.total - rows, 0) / rate:,.0f} s left"
        sys.stderr.write(f"\r{rows:,} rows  {rate:,.0f} rows/s{left}   ")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
