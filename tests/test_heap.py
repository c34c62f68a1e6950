"""Keeping the C heap between chunks: freed memory is reused instead of faulted in again."""

import subprocess
import sys

import pytest

from issuekind.heap import keep_heap

# Chunk-like work in a fresh process: 48 MiB of 1 MiB arrays made and freed, ten times;
# prints whether the heap was kept and the page faults of the ten rounds.
_ROUNDS = """
import resource, sys
import numpy as np
from issuekind.heap import keep_heap
kept = keep_heap() if sys.argv[1] == "keep" else False
blocks = [np.ones(1 << 17) for _ in range(48)]
del blocks
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    blocks = [np.ones(1 << 17) for _ in range(48)]
    del blocks
print(kept, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _page_faults(mode: str) -> tuple[bool, int]:
    out = subprocess.run([sys.executable, "-c", _ROUNDS, mode], capture_output=True, text=True,
                         check=True).stdout.split()
    return out[0] == "True", int(out[1])


def test_a_kept_heap_reuses_freed_memory_without_page_faults():
    kept, faults = _page_faults("keep")
    if not kept:
        pytest.skip("not glibc: keep_heap has no settings to change here")
    _, faults_by_default = _page_faults("default")
    # By default the freed 48 MiB go back to the kernel each round: 12,000 pages faulted in
    # again every time. Kept, they are reused.
    assert faults_by_default > 10 * 48 * 256 * 0.9
    assert faults < 1_000


def test_keep_heap_says_whether_it_took_effect_and_can_be_called_again():
    first = keep_heap()
    assert isinstance(first, bool) and keep_heap() is first
