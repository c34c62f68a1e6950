"""Stage 2 of 4: normalized text becomes lists of lowercase tokens.

Two tokenizers, chosen by a model's ``tokenizer`` parameter; neither downloads anything, and
neither is stored in a saved model (a model holds data, not code):

- ``"issue"`` (:class:`IssueTokenizer`): a spaCy ``Tokenizer`` with prefix, suffix and infix
  rules made for issue text, whose words that are URLs, paths, versions, numbers ... are
  kept whole and become placeholders. Each distinct word is tokenized once per process and
  remembered, which makes it several times faster than spaCy's English rules on backlogs.
  For predicting, :meth:`IssueTokenizer.term_ids` goes from each word straight to the ids
  of its terms in a model's vocabulary.
- ``"spacy-en"`` (:func:`tokenize_issues`): spaCy's rule-based English tokenizer
  (``spacy.blank("en")``), after :func:`~issuekind.pipeline.normalize.normalize`; models 1.0
  and 1.1 use it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain, repeat
from typing import Iterable, Iterator

import numpy as np

from issuekind.pipeline.normalize import _ANY_PLACEHOLDER, placeholder

#: How many texts spaCy tokenizes at a time.
BATCH_SIZE = 1000
#: spaCy's vocabulary and tokenizer cache keep every new word they meet, so on an endless
#: stream of issues they grow without bound; after this many texts the tokenizer is rebuilt.
RENEW_AFTER = 50_000
_seen = 0


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy  # imported on first use: `import issuekind` stays fast

    return spacy.blank("en").tokenizer


def tokenize(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[list[str]]:
    """Yield, for each text, its tokens in lower case, without spaces and punctuation.

    >>> list(tokenize(["Can't save files!"]))
    [['ca', "n't", 'save', 'files']]
    """
    for tokens, _ in tokenize_issues(texts, batch_size):
        yield tokens


def tokenize_issues(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[tuple[list[str], int]]:
    """Like :func:`tokenize`, and also say how many leading tokens form the title.

    The title is the first line of the text; a one-line text is all title.

    >>> list(tokenize_issues(["Crash on save\\nIt fails when I save."]))
    [(['crash', 'on', 'save', 'it', 'fails', 'when', 'i', 'save'], 3)]
    """
    global _seen
    for doc in _tokenizer().pipe(texts, batch_size=batch_size):
        _seen += 1
        if _seen >= RENEW_AFTER:  # takes effect for the next call's tokenizer
            _seen = 0
            _tokenizer.cache_clear()
        tokens: list[str] = []
        title_len = -1
        for t in doc:
            if t.is_space:
                if title_len < 0 and "\n" in t.text:
                    title_len = len(tokens)
            elif not t.is_punct:
                tokens.append(t.lower_)
        yield tokens, (len(tokens) if title_len < 0 else title_len)


# -- the ``issue`` tokenizer ----------------------------------------------------------------

#: Characters split off the start and end of a word, and split between words.
_PREFIX = r"""^(?:[\[\](){}<>"'`*_~!?,;:.…«»“”‘’|=+^&$%\\-]|\.\.\.)"""
_SUFFIX = r"""(?:[\[\](){}<>"'`*_~!?,;:.…«»“”‘’|=+^&$%\\-]|\.\.\.|'s|’s)$"""
_INFIX = r"""[\[\](){}<>"`*!?,;=|^&…«»“”]|(?<=[^\W\d_])[.:/'-]+(?=[^\W\d_]{2})|--+"""

#: Distinct words remembered per process before the memory is cleared (and spaCy's
#: vocabulary with it). ``term_ids`` keeps two generations of this many words each, about
#: 100 MB at most. Twice the former 150,000: real backlogs keep bringing new words (ids,
#: hashes, paths), and fewer of those still in use are forgotten and worked out again.
MEMO_SIZE = 300_000


def _issue_spacy_tokenizer():
    """A spaCy ``Tokenizer`` with prefix, suffix and infix rules for issue text.

    It has no special cases (an issue's vocabulary is identifiers, versions and paths more
    than English contractions) and a bare vocabulary, which computes no lexical attributes
    for the words it meets.
    """
    from spacy.tokenizer import Tokenizer
    from spacy.vocab import Vocab

    # Placeholders stay whole: ``token_match`` matches exactly where ``placeholder`` is set.
    return Tokenizer(Vocab(), rules={},
                     prefix_search=re.compile(_PREFIX).search,
                     suffix_search=re.compile(_SUFFIX).search,
                     infix_finditer=re.compile(_INFIX).finditer,
                     token_match=_ANY_PLACEHOLDER)


class IssueTokenizer:
    """Tokens of block-normalized issue texts: spaCy's tokenizer with issue-text rules.

    spaCy splits a text at whitespace first and tokenizes each word on its own, so a word's
    tokens never depend on its neighbours. That is used here: each distinct word is
    tokenized once (in batches, through spaCy) and its terms remembered; a text is then the
    concatenation of its words' terms. The result equals tokenizing the whole text with the
    same spaCy tokenizer (``reference_terms``), only faster.

    Terms are lower case; punctuation-only tokens are dropped; URLs, paths, versions,
    numbers and the like become placeholders (``xxurl``, ``xxpath`` ...).

    >>> IssueTokenizer()(["Crash in src/app/main.py\\nSince v2.1, saving fails (see #12)."])
    [(['crash', 'in', 'xxpath', 'since', 'xxversion', 'saving', 'fails', 'see', 'xxissue'], 3)]
    """

    def __init__(self, memo_size: int | None = None):
        self.memo_size = MEMO_SIZE if memo_size is None else memo_size
        self._memo: dict[str, tuple[str, ...]] = {}  # word -> its terms
        self._terms = _TermMemo()  # token -> its term, "" for punctuation
        self._spacy = None
        self._ids = _WordIds()  # word -> ids of its terms in ``_ids_of``
        self._ids_of: dict | None = None

    def __call__(self, texts: Iterable[str], batch_size: int = 2000) -> list[tuple[list[str], int]]:
        """(terms, number of title terms) per text; the title is the first non-blank line."""
        return list(self.stream(texts, batch_size))

    def stream(self, texts: Iterable[str], batch_size: int = 2000) -> Iterator[tuple[list[str], int]]:
        """Like calling the tokenizer, a batch at a time, for streams of any length."""
        batch = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, texts: list[str]) -> list[tuple[list[str], int]]:
        split = []
        words: set[str] = set()
        for text in texts:
            title, _, body = text.lstrip().partition("\n")
            title, body = title.split(), body.split()
            words.update(title)
            words.update(body)
            split.append((title, body))
        memo = self._memo
        new = words.difference(memo)
        if new:
            if len(memo) + len(new) > self.memo_size:
                # Forget every word but this batch's: they are about to be used, and the
                # backlog's common words are among them (rare words fill the memory).
                kept = {w: memo[w] for w in words.difference(new)}
                memo.clear()
                memo.update(kept)
                self._terms.clear()
                self._spacy = None  # its vocabulary has grown with every new word too
            self._learn(sorted(new))
        out = []
        get = memo.__getitem__
        for title, body in split:
            terms = list(chain.from_iterable(map(get, title)))
            n_title = len(terms)
            terms.extend(chain.from_iterable(map(get, body)))
            out.append((terms, n_title))
        return out

    def term_ids(self, texts: Iterable[str], terms: dict[str, int],
                 batch_size: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The texts' terms as their ids in ``terms`` (``-1`` for a term not in it), at once.

        Returns ``(ids, n_terms, n_title)``: the ids of all texts' terms one after another,
        and per text its number of terms and of title terms. It equals mapping the terms of
        ``self(texts)`` through ``terms``, but goes from each distinct word straight to its
        ids (remembered per ``terms``), which skips building a list of strings per text.

        >>> IssueTokenizer().term_ids(["Crash on save", "", "save\\nit"], {"save": 0, "crash": 1})
        (array([ 1, -1,  0,  0, -1]), array([3, 0, 2]), array([3, 0, 1]))
        """
        if terms is not self._ids_of:  # another vocabulary: ids remembered for the old one are wrong
            self._ids, self._ids_of = _WordIds(), terms
        ids, n_terms, n_title = [], [], []
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                self._ids_batch(batch, terms, ids, n_terms, n_title)
                batch = []
        if batch or not ids:
            self._ids_batch(batch, terms, ids, n_terms, n_title)
        return np.concatenate(ids), np.concatenate(n_terms), np.concatenate(n_title)

    def _ids_batch(self, texts: list[str], terms: dict[str, int], ids: list, n_terms: list,
                   n_title: list) -> None:
        words: list[str] = []
        segments = []  # words in each title and each body, in turn
        for text in texts:
            title, _, body = text.lstrip().partition("\n")
            title, body = title.split(), body.split()
            words += title
            words += body
            segments.append(len(title))
            segments.append(len(body))
        table = self._ids
        memo = table.young
        per_word = list(map(memo.get, words))
        if None in per_word:  # words not met since the memory was last renewed
            gaps = _positions(per_word, None)
            missing = set(map(words.__getitem__, gaps))
            # The memory has two generations: when the young one is full it becomes the old
            # one (and the old one is forgotten). A word still in use is carried over from
            # the old generation; only words met in neither are worked out again.
            if len(memo) + len(missing) > self.memo_size:
                table.renew()
                memo = table.young
                gaps = range(len(words))
                missing = set(words)
                self._terms.clear()  # tokens' terms: a cache that grows with new words too
                if self._spacy is not None and len(self._spacy.vocab) > self.memo_size:
                    self._spacy = None  # spaCy's vocabulary grows with every word it sees
            old = table.old
            new = []
            for w in missing:
                v = old.get(w)
                if v is None:
                    new.append(w)
                else:
                    memo[w] = v
            if new:
                learnt: dict[str, tuple[str, ...]] = {}
                self._learn(new, learnt)
                # All learnt terms to ids in one pass.
                flat = list(map(terms.get, chain.from_iterable(learnt.values()), repeat(-1)))
                memo.update(zip(learnt, table.add(flat, list(map(len, learnt.values())))))
            for i in gaps:
                per_word[i] = memo[words[i]]
        word_ids, ends = table.expand(per_word)
        ids.append(word_ids)
        # The number of terms in each title and body: terms up to the segment's last word.
        bounds = np.concatenate([[0], ends])[np.cumsum([0] + segments)]
        per_segment = np.diff(bounds)
        n_title.append(per_segment[0::2])
        n_terms.append(per_segment[0::2] + per_segment[1::2])

    def _learn(self, words: list[str], memo: dict | None = None) -> None:
        """Work out the terms of ``words`` (new ones) into ``memo`` (by default the tokenizer's)."""
        from spacy.attrs import IDX, LENGTH, SPACY

        if self._spacy is None:
            self._spacy = _issue_spacy_tokenizer()
        if memo is None:
            memo = self._memo
        plain, cores, hard = [], [], []
        for w in words:
            # Most words need no spaCy call to tell their tokens: strip the brackets, quotes
            # and punctuation around the word; when the rules leave the core's ends alone,
            # it is either kept whole (a placeholder, or letters and digits) or split at its
            # infixes, exactly as spaCy's tokenizer does with a word. The rest go to spaCy.
            core = w.rstrip(_TRAILING_CHARS)
            if core.endswith(("'s", "’s")) or _URLISH(w):  # a two-character suffix, a URL
                hard.append(w)
                continue
            core = core.lstrip(_LEADING_CHARS)
            if core.isalpha() and len(core) < 12:  # letters only, and too short for hex
                plain.append(w)
                cores.append(core)
            elif core.isalnum():
                memo[w] = (placeholder(core) or core.lower(),)
            elif not core or _STRIPS_PREFIX(core) or _STRIPS_SUFFIX(core):
                hard.append(w)
            else:
                ph = placeholder(core)
                memo[w] = (ph,) if ph is not None else self._terms_of(_split_infixes(core))
        # A word of letters has one term, its core in lower case: all lowered in one call
        # (no word holds a newline; the text was split at whitespace).
        memo.update(zip(plain, zip("\n".join(cores).lower().split("\n"))))
        # Two kinds of hard words need no spaCy call either: spaCy keeps a word whole when
        # it is a placeholder as it stands (``token_match`` is tried before any affix), and
        # a word without a letter or digit has no terms, however it is split.
        rest = []
        for w in hard:
            if _ANY_PLACEHOLDER(w):
                memo[w] = self._terms_of([w])
            elif _HAS_WORD_CHAR(w) is None:
                memo[w] = ()
            else:
                rest.append(w)
        hard = rest
        # One spaCy Doc for many words: they are joined by single spaces, so a token that
        # is followed by a space ends a word. Tokens are read as offsets into the joined
        # string instead of as spaCy Token objects.
        for start in range(0, len(hard), 20_000):
            part = hard[start:start + 20_000]
            joined = " ".join(part)
            tokens: list[str] = []
            i = 0
            for idx, length, space in self._spacy(joined).to_array([IDX, LENGTH, SPACY]).tolist():
                tokens.append(joined[idx:idx + length])
                if space:
                    memo[part[i]] = self._terms_of(tokens)
                    tokens = []
                    i += 1
            memo[part[i]] = self._terms_of(tokens)  # the last word: no space follows it

    def _terms_of(self, tokens: list[str]) -> tuple[str, ...]:
        """:func:`_terms`, remembering each token's term (many words share tokens)."""
        return tuple(filter(None, map(self._terms.__getitem__, tokens)))

    def reference_terms(self, text: str) -> tuple[list[str], int]:
        """The same result as calling the tokenizer, from one spaCy Doc of the whole text."""
        if self._spacy is None:
            self._spacy = _issue_spacy_tokenizer()
        title, _, body = text.lstrip().partition("\n")
        t = _terms([tok.text for tok in self._spacy(title) if not tok.is_space])
        b = _terms([tok.text for tok in self._spacy(body) if not tok.is_space])
        return list(t) + list(b), len(t)


@lru_cache(maxsize=1)
def issue_tokenizer() -> IssueTokenizer:
    """This process's :class:`IssueTokenizer` (its memory of words is shared by all models)."""
    return IssueTokenizer()


_HAS_WORD_CHAR = re.compile(r"[^\W_]").search
_STRIPS_PREFIX = re.compile(_PREFIX).search
_STRIPS_SUFFIX = re.compile(_SUFFIX).search
#: The one-character suffixes (``_SUFFIX``) and prefixes (``_PREFIX``) of the rules, but the
#: backslash, which separates Windows paths, and as a prefix the dot, which starts relative
#: paths (``../a/b``): a word's core is the word without them at its end and its start.
_TRAILING_CHARS = "[](){}<>\"'`*_~!?,;:.…«»“”‘’|=+^&$%-"
_LEADING_CHARS = _TRAILING_CHARS.replace(".", "")
#: Words that may hold a URL, which a little less stripping would keep whole: spaCy decides.
_URLISH = re.compile(r"://|www\.", re.I).search


def _positions(items: list, value) -> list[int]:
    """The positions of ``value`` in ``items`` (found by ``list.index``, which scans in C)."""
    out = []
    find = items.index
    i = -1
    try:
        while True:
            i = find(value, i + 1)
            out.append(i)
    except ValueError:
        return out


class _WordIds:
    """Words -> the ids of their terms, in two generations (``young`` and ``old``).

    Each dictionary maps a word to its number in flat arrays: the ids of all remembered
    words' terms one after another, and per number where its ids start and how many there
    are. A batch's words are then turned into term ids by numpy (:meth:`expand`) instead of
    one Python tuple per word. :meth:`renew` makes the young generation the old one and
    drops the arrays' part that only the forgotten generation used.
    """

    def __init__(self):
        self.young: dict[str, int] = {}
        self.old: dict[str, int] = {}
        self._flat = np.zeros(0, dtype=np.int64)  # term ids, word after word
        self._start = np.zeros(0, dtype=np.int64)  # per word number: where its ids start
        self._len = np.zeros(0, dtype=np.int64)  # and how many it has
        self._n_flat = self._n = 0

    def add(self, flat: list[int], lengths: list[int]) -> range:
        """Remember words whose term ids are ``flat``, ``lengths[i]`` of them for the i-th
        word, one after another; returns their numbers."""
        n, n_flat = len(lengths), len(flat)
        self._flat = _fit(self._flat, self._n_flat + n_flat)
        self._start, self._len = _fit(self._start, self._n + n), _fit(self._len, self._n + n)
        self._flat[self._n_flat:self._n_flat + n_flat] = flat
        lengths_arr = np.asarray(lengths, dtype=np.int64)
        self._len[self._n:self._n + n] = lengths_arr
        self._start[self._n:self._n + n] = self._n_flat + np.cumsum(lengths_arr) - lengths_arr
        self._n_flat += n_flat
        self._n += n
        return range(self._n - n, self._n)

    def expand(self, numbers: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The term ids of the words numbered ``numbers``, one after another, and the
        number of ids up to the end of each word."""
        words = np.array(numbers, dtype=np.int64)
        lengths = self._len[words]
        ends = np.cumsum(lengths)
        return self._flat[_runs(self._start[words], lengths, ends)], ends

    def renew(self) -> None:
        """The young generation becomes the old one; the old one is forgotten."""
        kept = np.fromiter(self.young.values(), dtype=np.int64, count=len(self.young))
        lengths = self._len[kept]
        ends = np.cumsum(lengths)
        self._flat = self._flat[_runs(self._start[kept], lengths, ends)]
        self._len = lengths
        self._start = ends - lengths
        self._n_flat, self._n = len(self._flat), len(kept)
        self.old = dict(zip(self.young, range(len(kept))))
        self.young = {}


def _runs(starts: np.ndarray, lengths: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Positions ``starts[i], starts[i] + 1, ... starts[i] + lengths[i] - 1`` for every i,
    one run after another (``ends`` is the cumulative sum of ``lengths``)."""
    total = int(ends[-1]) if len(ends) else 0
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(total)


def _fit(array: np.ndarray, size: int) -> np.ndarray:
    """``array``, or a copy at least twice as long, so that ``size`` items fit."""
    if size <= len(array):
        return array
    grown = np.zeros(max(size, 2 * len(array), 1024), dtype=array.dtype)
    grown[:len(array)] = array
    return grown


#: The tokens of a word whose ends the rules leave alone: split at each infix, keeping the
#: infixes (the pieces between them may be empty; they have no term).
_split_infixes = re.compile(f"({_INFIX})").split


class _TermMemo(dict):
    """token -> its term (``""`` for punctuation), worked out on first use."""

    def __missing__(self, token: str) -> str:
        term = self[token] = (_terms([token]) or ("",))[0]
        return term


def _terms(tokens: list[str]) -> tuple[str, ...]:
    """Terms of one word's tokens: punctuation dropped, placeholders, lower case."""
    return tuple(placeholder(tok) or tok.lower() for tok in tokens if _HAS_WORD_CHAR(tok))
