"""Checkpoint files: a dict of tensors, numbers, strings and lists, written atomically."""
import os

import torch

from ..errors import StateError
from .files import write_atomically


def save_checkpoint(path, data):
    """Write ``data`` to ``path`` via a temporary file, so a crash never leaves half a file."""
    write_atomically(path, lambda f: torch.save(data, f))


def load_checkpoint(path):
    """Read a checkpoint written by ``save_checkpoint`` (data only: weights_only loading)."""
    try:
        return torch.load(os.fspath(path), weights_only=True, map_location="cpu")
    except FileNotFoundError:
        raise StateError(f"no checkpoint at {path}") from None
    except Exception as exc:
        raise StateError(f"{path} is not a pymag checkpoint: {exc}") from None
