"""Python's cyclic garbage collector, paused around batch work that allocates a lot.

Tokenizing and vectorizing a chunk of issues creates millions of small lists and tuples and
no reference cycles: reference counting frees all of it. The cyclic collector would still
wake up every few hundred allocations and walk the young objects, and now and then every
object in the process (the tokenizer's memory of words included), which cost about a third
of ``issuekind label``'s time. Pausing it for the batch changes no result.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block; restore it as it was after.

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
