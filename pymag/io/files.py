"""Small file helpers shared by the writers: host arrays and atomic writes."""
import os

import numpy as np


def as_numpy(array):
    """A numpy array from a numpy array or a torch tensor (copied to the host if needed)."""
    if hasattr(array, "detach"):
        array = array.detach().cpu().numpy()
    return np.asarray(array)


def write_atomically(path, content):
    """Write ``content`` (bytes, or a callable that writes into a binary file object) to a
    temporary file beside ``path``, then rename it to ``path``: a crash never leaves half a file."""
    path = os.fspath(path)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            content(f) if callable(content) else f.write(content)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
