"""Stage 2 of 4: normalized text becomes lists of lowercase tokens.

spaCy's rule-based tokenizer (``spacy.blank("en")``: nothing is downloaded) splits
punctuation, contractions and URLs the way English text needs. The tokenizer is made once
per process and never stored in a saved model: a model holds data, not code.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

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
