"""Which unlabelled issues to label next: uncertain ones, and not near-duplicates."""

from __future__ import annotations

import numpy as np


def suggest(model, texts, n: int = 50, max_similarity: float = 0.8) -> list[dict]:
    """The ``n`` texts whose labels would teach ``model`` most.

    Uncertainty sampling by margin: texts whose two most probable labels are closest come
    first. For diversity, a text is skipped when its TF-IDF vector has cosine similarity
    above ``max_similarity`` with one already picked, so near-duplicates are not all chosen.
    Empty texts are never suggested. Returns dicts with ``index`` (into ``texts``), ``text``,
    ``predicted``, ``confidence`` and ``margin``, most useful first.

    Examples
    --------
    >>> import issuekind
    >>> picks = suggest(issuekind.load(), ["App crashes on save", "App crashes on save!",
    ...                                    "Add dark mode", ""], n=3)
    >>> len(picks) <= 3 and all(p["text"] for p in picks)
    True
    """
    texts = list(texts)
    features = model.transform_texts(texts)
    proba = model.predict_proba(texts)
    top2 = np.sort(proba, axis=1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]
    has_features = np.diff(features.indptr) > 0
    order = [i for i in np.argsort(margin, kind="stable") if has_features[i]]
    picked: list[int] = []
    for i in order:
        if len(picked) >= n:
            break
        if picked:
            sims = features[picked] @ features[i].T  # rows are L2-normalised: cosine
            if sims.max() > max_similarity:
                continue
        picked.append(int(i))
    classes = list(model.classes_)
    return [{"index": i, "text": texts[i], "predicted": classes[int(proba[i].argmax())],
             "confidence": float(proba[i].max()), "margin": float(margin[i])} for i in picked]
