"""Keep freed memory in the process: glibc's malloc otherwise serves blocks above 128 kB-32 MB
by mmap and returns them to the operating system when freed, so every new tensor of a few MB
costs page faults on first touch, on every call. On a 64^3 cube that made one LLG right-hand
side 1.5x slower (54 ms instead of 37 ms, float32, 2 threads), and a fresh 51 MB FFT 3x slower.
Set PYMAG_KEEP_MEMORY=0 to leave malloc's defaults alone.
"""
import ctypes
import ctypes.util
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
LARGEST = 2**31 - 1              # mallopt takes an int
FALLBACK_MMAP = 32 * 2**20       # the largest threshold older glibc versions accept


def keep_freed_memory():
    """Tell glibc's malloc to serve blocks below 2 GB from its heap and never to shrink the
    heap after a free. Returns True when applied (Linux with glibc), else False."""
    if not sys.platform.startswith("linux") or os.environ.get("PYMAG_KEEP_MEMORY", "1") == "0":
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl)
        return False
    mmap = mallopt(_M_MMAP_THRESHOLD, LARGEST) or mallopt(_M_MMAP_THRESHOLD, FALLBACK_MMAP)
    return bool(mmap) and bool(mallopt(_M_TRIM_THRESHOLD, LARGEST))
