"""The C heap of a labelling process, kept from one chunk to the next (glibc only).

Labelling a chunk of issues allocates and frees a few hundred megabytes: numpy arrays of a
few megabytes and millions of small objects. With glibc's default settings, the memory
freed at the top of the heap goes back to the kernel once more than 128 KiB of it is free,
and the next chunk takes the same pages back, each one a page fault that the kernel fills
with zeros. On the 200,000-row benchmark that was about 600,000 page faults and a second of
system time per process. Keeping up to ``TRIM_THRESHOLD`` of free memory in the heap (and
serving arrays up to ``MMAP_THRESHOLD`` from it) removes most of them. It changes no result,
and peak memory stays what the chunks need.
"""

from __future__ import annotations

import ctypes
import sys

#: Free memory at the top of the heap that is kept for the next chunk, in bytes.
TRIM_THRESHOLD = 64 << 20
#: Allocations up to this size come from the heap, not from their own mmap, in bytes.
MMAP_THRESHOLD = 16 << 20

_M_TRIM_THRESHOLD = -1  # mallopt's parameter numbers, from glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_kept = False


def keep_heap() -> bool:
    """Keep freed memory in this process's heap for reuse; True where it took effect.

    Only glibc has these settings; elsewhere this does nothing and returns False. Calling
    it again does nothing.
    """
    global _kept
    if _kept or not sys.platform.startswith("linux"):
        return _kept
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # mallopt returns 1 on success; musl's stub returns 0 and changes nothing.
    _kept = (mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
             and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1)
    return _kept
