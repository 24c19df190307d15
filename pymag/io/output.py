"""Where a script's outputs go, and mumax3-style autosave: table.txt rows and numbered OVF snapshots."""
import math
import os
import pathlib
import sys

from ..errors import PymagError
from .table import column_unit


def output_dir(path=None):
    """The output folder, created if absent: ``path`` when given, else $PYMAG_OUT when set
    (``python -m pymag run`` sets it), else ``<script>.out`` beside the running script, as
    mumax3 does, else ``pymag.out`` in the working directory."""
    path = path or os.environ.get("PYMAG_OUT")
    if not path:
        script = pathlib.Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
        path = script.with_suffix(".out") if script is not None and script.suffix == ".py" else "pymag.out"
    path = pathlib.Path(path)
    path.mkdir(parents=True, exist_ok=True)
    return path


class TableFile:
    """A tab-separated table, header ``# t (s)\\tmx ()\\t...``, one row appended per call."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.columns = None

    def write(self, row):
        """Append ``row`` (dict name -> number); the first row fixes the columns."""
        if self.columns is None:
            self.columns = list(row)
            with open(self.path, "w") as f:
                f.write("# " + "\t".join(f"{c} ({column_unit(c)})" for c in self.columns) + "\n")
        elif list(row) != self.columns:
            raise PymagError(f"{self.path}: the row has columns {list(row)}, the file {self.columns}; "
                             "one table file holds one kind of row")
        with open(self.path, "a") as f:
            f.write("\t".join(repr(float(row[c])) for c in self.columns) + "\n")


class Autosave:
    """Saves at simulated times 0, every, 2 every, ... during runs: a row of table.txt and
    (with ``snapshots``) m000000.ovf, m000001.ovf, ... in ``directory``."""

    def __init__(self, every, directory=None, snapshots=True, table=True, fmt="binary4"):
        if not (every > 0 and math.isfinite(every)):
            raise PymagError(f"autosave interval must be a finite time > 0 (s), got {every}")
        if not (snapshots or table):
            raise PymagError("autosave needs snapshots=True or table=True")
        self.every = float(every)
        self.directory = pathlib.Path(directory) if directory is not None else output_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.snapshots = snapshots
        self.fmt = fmt
        self.table = TableFile(self.directory / "table.txt") if table else None
        self.count = 0
        self.k = 0

    def due(self, t0, t1):
        """Save times in [t0, t1] (s) not saved yet; times before t0 are skipped."""
        self.k = max(self.k, math.ceil(t0 / self.every * (1 - 1e-12)))
        times = []
        while self.k * self.every <= t1 * (1 + 1e-12):
            times.append(self.k * self.every)
            self.k += 1
        return times

    def save(self, system, row, m):
        """Write the table row and the snapshot of ``m`` at ``row['t']``."""
        if self.table is not None:
            self.table.write(row)
        if self.snapshots:
            from .ovf import save_ovf
            save_ovf(self.directory / f"m{self.count:06d}.ovf", m, system.mesh, fmt=self.fmt, t=row["t"])
        self.count += 1
