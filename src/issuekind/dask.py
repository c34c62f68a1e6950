"""Labelling beyond one machine with Dask (the ``dask`` extra).

- :func:`label` labels a Dask DataFrame partition by partition; with a distributed client,
  the model is sent to every worker once (``scatter(..., broadcast=True)``), not with each
  partition.
- ``issuekind label FILE --scheduler ADDRESS`` runs a file through a Dask cluster: see
  :func:`issuekind.backlog.label_backlog`'s ``scheduler``.
"""

from __future__ import annotations

from issuekind.backlog import OUTPUT_COLUMNS, _label_texts
from issuekind.formats import Record, _checked


def _label_partition(frame, model, text_columns, threshold, label_map, top_k):
    records = []
    for values in frame[text_columns].itertuples(index=False):
        text = "\n".join(v for v in values if isinstance(v, str) and v.strip())
        records.append(_checked(Record(None, text)))
    texts = [r.text for r in records if not r.error]
    labelled = iter(_label_texts(model, texts, threshold, label_map or {}, top_k))
    blank = [""] * (2 * top_k)
    rows = [["", "", "", r.error] + blank if r.error else next(labelled) for r in records]
    out = frame.copy()
    for j, name in enumerate(_columns(top_k)):
        out[name] = [row[j] for row in rows]
    return out


def _columns(top_k: int) -> list[str]:
    return OUTPUT_COLUMNS + [c for k in range(2, top_k + 2) for c in (f"label_{k}", f"confidence_{k}")]


def label(ddf, model, text_columns: list[str] | None = None, threshold: float | None = None,
          label_map: dict[str, str] | None = None, top_k: int = 0):
    """A Dask DataFrame like ``ddf`` with ``label``, ``kind``, ``confidence`` and ``error``
    columns added (strings, as in ``issuekind label``'s output), computed lazily.

    ``text_columns`` defaults to ``title`` and ``body`` (or ``text``) when present.
    """
    columns = text_columns or [c for c in ("title", "body") if c in ddf.columns] or ["text"]
    try:
        from distributed import get_client

        model_ref = get_client().scatter(model, broadcast=True)
    except (ImportError, ValueError):
        model_ref = model  # no distributed client: the local scheduler shares memory
    meta = ddf._meta.copy()
    for name in _columns(top_k):
        meta[name] = meta.iloc[:, 0].astype(object) if len(meta.columns) else []
    return ddf.map_partitions(_label_partition, model_ref, columns, threshold, label_map, top_k,
                              meta=meta)
