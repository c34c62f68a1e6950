"""Stage 3 of 4: tokens become sparse TF-IDF feature vectors.

Features are named, so a prediction can be explained by its terms:

- ``w:<n-gram>``: word n-grams of the whole text (``w:crash``, ``w:fails to``);
- ``t:<n-gram>``: the same n-grams again for the title alone, when ``title_features`` is on,
  because a title says what an issue is more densely than its body does;
- ``c:<chars>``: character n-grams inside words, when ``char_ngrams`` is set, which help with
  typos and word forms.

The learned state is plain data (an ordered vocabulary and an IDF array), which is what a
saved model stores; nothing here depends on scikit-learn's internals.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp


class Vectorizer:
    """Turn tokenized issues into L2-normalised, sublinear TF-IDF vectors.

    Parameters
    ----------
    word_ngrams : int, default=2
        Longest word n-gram; 1 means single words only.
    title_features : bool, default=True
        Add the title's n-grams again as features of their own.
    char_ngrams : tuple of (int, int) or None, default=None
        Smallest and largest character n-gram inside words, or ``None`` for none.
    min_df : int, default=2
        Features seen in fewer training documents are dropped.
    max_features : int, default=300_000
        Keep at most this many features, the most frequent first.

    Examples
    --------
    >>> v = Vectorizer(min_df=1).fit([(["app", "crashes"], 1), (["add", "dark", "mode"], 3)])
    >>> v.transform([(["app", "crashes", "again"], 1)]).shape
    (1, 14)
    """

    def __init__(self, word_ngrams: int = 2, title_features: bool = True,
                 char_ngrams: tuple[int, int] | None = None, min_df: int = 2,
                 max_features: int = 300_000):
        self.word_ngrams = word_ngrams
        self.title_features = title_features
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary_: dict[str, int] = {}
        self.idf_: np.ndarray = np.zeros(0)

    # -- feature extraction ---------------------------------------------------------------

    def features(self, tokens: Sequence[str], title_len: int) -> list[str]:
        """The feature names of one tokenized issue, with repeats."""
        out = _ngrams(tokens, self.word_ngrams, "w:")
        if self.title_features:
            out += _ngrams(tokens[:title_len], self.word_ngrams, "t:")
        if self.char_ngrams:
            lo, hi = self.char_ngrams
            for tok in tokens:
                if tok.startswith("xx"):
                    continue  # placeholders are already whole-word features
                padded = f" {tok} "
                for n in range(lo, min(hi, len(padded)) + 1):
                    out.extend("c:" + padded[i:i + n] for i in range(len(padded) - n + 1))
        return out

    # -- learning -------------------------------------------------------------------------

    def fit(self, docs: Iterable[tuple[Sequence[str], int]]) -> "Vectorizer":
        counts = [Counter(self.features(toks, n)) for toks, n in docs]
        df = Counter()
        for c in counts:
            df.update(c.keys())
        kept = [(f, d) for f, d in df.items() if d >= self.min_df]
        # Most frequent first; ties by name, so the vocabulary never depends on dict order.
        kept.sort(key=lambda fd: (-fd[1], fd[0]))
        kept = kept[: self.max_features]
        kept.sort()
        self.vocabulary_ = {f: i for i, (f, _) in enumerate(kept)}
        self.__dict__.pop("_names", None)
        n_docs = len(counts)
        dfs = np.array([d for _, d in kept], dtype=np.float64)
        self.idf_ = np.log((1.0 + n_docs) / (1.0 + dfs)) + 1.0
        self._fitted_counts = counts  # reused by fit_transform, dropped right after
        return self

    def fit_transform(self, docs: Iterable[tuple[Sequence[str], int]]) -> sp.csr_matrix:
        self.fit(docs)
        counts = self.__dict__.pop("_fitted_counts")
        return self._to_matrix(counts)

    def transform(self, docs: Iterable[tuple[Sequence[str], int]]) -> sp.csr_matrix:
        return self._to_matrix(Counter(self.features(toks, n)) for toks, n in docs)

    def _to_matrix(self, counts: Iterable[Counter]) -> sp.csr_matrix:
        vocab = self.vocabulary_
        indptr, indices, values = [0], [], []
        for c in counts:
            for f, k in c.items():
                j = vocab.get(f)
                if j is not None:
                    indices.append(j)
                    values.append(k)
            indptr.append(len(indices))
        X = sp.csr_matrix(
            (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64),
             np.asarray(indptr, dtype=np.int64)),
            shape=(len(indptr) - 1, len(vocab)),
        )
        X.sum_duplicates()
        X.data = (1.0 + np.log(X.data)) * self.idf_[X.indices]
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        X = sp.csr_matrix(sp.diags(1.0 / norms) @ X)
        return X

    # -- plain-data state -----------------------------------------------------------------

    @property
    def feature_names_(self) -> list[str]:
        """The feature names in column order (built once, then kept)."""
        cached = self.__dict__.get("_names")
        if cached is None or len(cached) != len(self.vocabulary_):
            cached = [""] * len(self.vocabulary_)
            for f, i in self.vocabulary_.items():
                cached[i] = f
            self._names = cached
        return cached

    def get_config(self) -> dict:
        return {"word_ngrams": self.word_ngrams, "title_features": self.title_features,
                "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
                "min_df": self.min_df, "max_features": self.max_features}

    @classmethod
    def from_state(cls, config: dict, feature_names: list[str], idf: np.ndarray) -> "Vectorizer":
        v = cls(**config)
        v.vocabulary_ = {f: i for i, f in enumerate(feature_names)}
        v._names = list(feature_names)
        v.idf_ = np.asarray(idf, dtype=np.float64)
        return v


def _ngrams(tokens: Sequence[str], n_max: int, prefix: str) -> list[str]:
    out = [prefix + t for t in tokens]
    for n in range(2, n_max + 1):
        out.extend(prefix + " ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out
