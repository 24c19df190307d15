"""Input and output: tables, checkpoints."""
from .table import Table

__all__ = ["Table"]
