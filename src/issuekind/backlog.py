"""Label a whole backlog file: every row in, every row out, in order."""

from __future__ import annotations

from pathlib import Path

from issuekind.tables import read_table, resolve_text_columns, write_table

OUTPUT_COLUMNS = ["label", "kind", "confidence"]
CHUNK = 2000


def label_backlog(clf, input_path: str | Path, output_path: str | Path | None = None,
                  text_columns: list[str] | None = None, threshold: float | None = None,
                  fmt: str | None = None) -> dict:
    """Label every row of a CSV or JSONL backlog and write it back out with
    ``label``, ``kind`` and ``confidence`` columns added.

    Rows the model cannot tell (empty text, or below ``threshold``) get an empty label.
    Returns a summary: rows, label counts, rows left unlabelled.

    Examples
    --------
    >>> import issuekind, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "in.csv")
    >>> _ = open(path, "w").write("title,body\\nApp crashes on save,NullPointerException\\n")
    >>> label_backlog(issuekind.load(), path, path + ".out")["rows"]
    1
    """
    table = read_table(input_path, fmt)
    columns = resolve_text_columns(table, text_columns)
    texts = table.texts(columns)
    extra, counts, unlabelled = [], {}, 0
    for start in range(0, len(texts), CHUNK):
        for p in clf.classify(texts[start:start + CHUNK], threshold=threshold):
            extra.append([p.label or "", p.kind or "", f"{p.confidence:.4f}"])
            if p.label is None:
                unlabelled += 1
            else:
                counts[p.label] = counts.get(p.label, 0) + 1
    write_table(table, OUTPUT_COLUMNS, extra, output_path)
    return {"rows": len(texts), "labels": dict(sorted(counts.items())), "unlabelled": unlabelled}
