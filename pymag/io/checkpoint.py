"""Checkpoint files: a dict of tensors, numbers, strings and lists, written atomically."""
import os

import torch

from ..errors import StateError


def save_checkpoint(path, data):
    """Write ``data`` to ``path`` via a temporary file, so a crash never leaves half a file."""
    path = os.fspath(path)
    tmp = path + ".tmp"
    torch.save(data, tmp)
    os.replace(tmp, path)


def load_checkpoint(path):
    """Read a checkpoint written by ``save_checkpoint`` (data only: weights_only loading)."""
    try:
        return torch.load(os.fspath(path), weights_only=True, map_location="cpu")
    except FileNotFoundError:
        raise StateError(f"no checkpoint at {path}") from None
    except Exception as exc:
        raise StateError(f"{path} is not a pymag checkpoint: {exc}") from None
