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
from itertools import repeat
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
        self.__dict__.pop("_lookup", None)
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
        lookup = self._ngram_lookup()
        if lookup is None:
            return self._to_matrix(Counter(self.features(toks, n)) for toks, n in docs)
        return self._transform_ids(docs, *lookup)

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
        return self._weigh(X)

    # -- the fast path: n-grams as integer keys -------------------------------------------
    #
    # ``transform`` gives the same matrix as building feature strings and looking them up,
    # without building strings: each term of the vocabulary gets an id, an n-gram the key
    # sum((id_k + 1) * B**k) * 2 + is_title with B = n_terms + 1, and the n-grams of a whole
    # batch of documents are looked up in a hash table of the vocabulary's keys with numpy.

    def _ngram_lookup(self):
        if self.char_ngrams:
            return None  # character n-grams are not word n-grams: the string path
        state = self.__dict__.get("_lookup")
        if state is not None and state[2] == len(self.vocabulary_):
            return state[:2]
        names = list(self.vocabulary_)
        cols = np.fromiter(self.vocabulary_.values(), dtype=np.int64, count=len(names))
        title = np.fromiter(map(str.startswith, names, repeat("t:")), dtype=bool, count=len(names))
        if int(title.sum()) + sum(map(str.startswith, names, repeat("w:"))) != len(names):
            return None  # other kinds of features (character n-grams): the string path
        grams = [f[2:] for f in names]
        n_terms = np.fromiter(map(str.count, grams, repeat(" ")), dtype=np.int64,
                              count=len(grams)) + 1
        flat = " ".join(grams).split(" ") if grams else []
        terms = {t: i for i, t in enumerate(dict.fromkeys(flat))}
        base = len(terms) + 1
        if float(base) ** max(self.word_ngrams, int(n_terms.max(initial=1))) * 2 >= 2.0 ** 62:
            return None  # keys would overflow: use the string path
        # key = sum over the gram's terms of (id + 1) * base ** (position in the gram)
        ids = np.fromiter(map(terms.__getitem__, flat), dtype=np.int64, count=len(flat))
        starts = np.cumsum(n_terms) - n_terms
        position = np.arange(len(flat), dtype=np.int64) - np.repeat(starts, n_terms)
        contrib = (ids + 1) * base ** position
        keys = (np.add.reduceat(contrib, starts) if len(flat) else np.zeros(0, dtype=np.int64))
        keys = keys * 2 + title
        # Unigram keys are (id + 1) * 2 + is_title < 2 * base; longer n-grams' are larger.
        self._lookup = (terms, _KeyTable(keys, cols, direct_below=2 * base), len(self.vocabulary_))
        return self._lookup[:2]

    def _transform_ids(self, docs, terms: dict, table: "_KeyTable") -> sp.csr_matrix:
        flat: list[str] = []
        lengths, titles = [], []
        for toks, n in docs:
            flat += toks
            lengths.append(len(toks))
            titles.append(min(n, len(toks)))
        ids = np.fromiter(map(terms.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
        return self._from_term_ids(ids, np.asarray(lengths, dtype=np.int64),
                                   np.asarray(titles, dtype=np.int64), len(terms), table)

    def term_index(self) -> dict[str, int] | None:
        """The id of each term that the vocabulary's word n-grams are made of, or ``None``
        when :meth:`transform_term_ids` cannot be used (character n-grams, say)."""
        lookup = self._ngram_lookup()
        return None if lookup is None else lookup[0]

    def transform_term_ids(self, ids: np.ndarray, n_terms: np.ndarray,
                           n_title: np.ndarray) -> sp.csr_matrix:
        """:meth:`transform` from documents already turned into term ids.

        ``ids`` holds the ids (in :meth:`term_index`; ``-1`` for any other term) of all
        documents' terms one after another; ``n_terms`` and ``n_title`` give each document's
        number of terms and of title terms.
        """
        terms, table = self._ngram_lookup()
        return self._from_term_ids(np.asarray(ids, dtype=np.int64), np.asarray(n_terms, dtype=np.int64),
                                   np.minimum(n_title, n_terms).astype(np.int64), len(terms), table)

    def _from_term_ids(self, ids: np.ndarray, lengths_a: np.ndarray, titles: np.ndarray,
                       n_term_ids: int, table: "_KeyTable") -> sp.csr_matrix:
        n_docs = len(lengths_a)
        doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths_a)
        starts = np.cumsum(lengths_a) - lengths_a
        pos = np.arange(len(ids), dtype=np.int64) - starts[doc]
        left = lengths_a[doc] - pos  # tokens from here to the end of the document
        title_left = titles[doc] - pos
        n_max = max(self.word_ngrams, 1)
        padded = np.concatenate([ids, np.full(n_max, -1, dtype=np.int64)])
        base = n_term_ids + 1
        found_docs, found_cols = [], []
        key = np.zeros(len(ids), dtype=np.int64)
        known = np.ones(len(ids), dtype=bool)
        scale = 1
        for n in range(1, n_max + 1):
            nxt = padded[n - 1:n - 1 + len(ids)]
            known &= nxt >= 0
            key += (nxt + 1) * scale
            scale *= base
            valid = known & (left >= n)
            kinds = [(valid, 0)]
            if self.title_features:
                kinds.append((valid & (title_left >= n), 1))
            for mask, title in kinds:
                col = table.get(key[mask] * 2 + title)
                hit = col >= 0
                found_docs.append(doc[mask][hit])
                found_cols.append(col[hit])
        rows = np.concatenate(found_docs) if found_docs else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(found_cols) if found_cols else np.zeros(0, dtype=np.int64)
        X = sp.coo_matrix((np.ones(len(rows)), (rows, cols)),
                          shape=(n_docs, len(self.vocabulary_))).tocsr()  # sums repeats
        return self._weigh(X)

    def _weigh(self, X: sp.csr_matrix) -> sp.csr_matrix:
        """Sublinear TF times IDF, each row scaled to unit length."""
        X.sum_duplicates()
        X.data = (1.0 + np.log(X.data)) * self.idf_[X.indices]
        row_of = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=X.data * X.data, minlength=X.shape[0]))
        norms[norms == 0] = 1.0
        X.data *= (1.0 / norms)[row_of]
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


class _KeyTable:
    """A read-only hash table from int64 keys to int64 values, queried a whole array at a time.

    Open addressing with linear probing at a load of at most 1/4, so a lookup is one or two
    random reads; a binary search over the sorted keys needs about twenty.
    """

    _MULT = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, keys: np.ndarray, values: np.ndarray, direct_below: int = 0):
        # Keys below ``direct_below`` (the unigrams', which are small) sit in a plain array
        # indexed by the key itself: no hashing and no probing for them.
        small = keys < direct_below
        self._direct = np.full(direct_below, -1, dtype=np.int64)
        self._direct[keys[small]] = values[small]
        keys, values = keys[~small], values[~small]
        bits = max(4, int(np.ceil(np.log2(max(len(keys), 1) * 4))))
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.full(1 << bits, -1, dtype=np.int64)
        self._values = np.full(1 << bits, -1, dtype=np.int64)
        slot = self._slot(keys)
        pending = np.arange(len(keys))
        while pending.size:
            free = self._keys[slot[pending]] == -1
            # Of the keys that want the same free slot, the first takes it.
            cand = pending[free]
            _, first = np.unique(slot[cand], return_index=True)
            won = cand[first]
            self._keys[slot[won]] = keys[won]
            self._values[slot[won]] = values[won]
            taken = np.zeros(len(keys), dtype=bool)
            taken[won] = True
            pending = pending[~taken[pending]]
            slot[pending] = (slot[pending] + 1) & self._mask

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * self._MULT) >> self._shift).astype(np.int64)

    def get(self, queries: np.ndarray) -> np.ndarray:
        """The value of each query key, or -1 where the key is absent."""
        small = queries < len(self._direct)
        if small.all():
            return self._direct[queries]
        out = np.full(len(queries), -1, dtype=np.int64)
        if small.any():
            out[small] = self._direct[queries[small]]
            large = np.flatnonzero(~small)
            out[large] = self.get(queries[large])
            return out
        slot = self._slot(queries)
        active = np.arange(len(queries))
        while active.size:
            s = slot[active]
            found = self._keys[s]
            hit = found == queries[active]
            out[active[hit]] = self._values[s[hit]]
            active = active[(found != -1) & ~hit]
            slot[active] = (slot[active] + 1) & self._mask
        return out
