"""pm.Table: named numpy columns recorded by a run."""
import csv

import numpy as np

from ..errors import PymagError

UNITS = {"t": "s", "mx": "", "my": "", "mz": "", "M": "", "torque": "A/m",
         "H": "A/m", "Hx": "A/m", "Hy": "A/m", "Hz": "A/m"}


def column_unit(name):
    """SI unit of a table column ("J" for energies E_*, "" for reduced magnetization)."""
    return "J" if name.startswith("E_") else UNITS.get(name, "")


class Table:
    """Columns of equal length, accessed by name: ``table["mx"]`` is a numpy array."""

    def __init__(self, columns=None):
        self._cols = {}
        for name, values in (columns or {}).items():
            self._cols[name] = np.asarray(values, dtype=float).ravel().tolist()
        if len({len(v) for v in self._cols.values()}) > 1:
            raise PymagError("table columns must have equal lengths")

    def append(self, row):
        """Add one row, a dict name -> number; the first row fixes the columns."""
        if not self._cols:
            self._cols = {k: [] for k in row}
        if set(row) != set(self._cols):
            raise PymagError(f"row keys {sorted(row)} differ from the table's columns {sorted(self._cols)}")
        for k, v in row.items():
            self._cols[k].append(float(v))

    def extend(self, other):
        """Append all rows of another table with the same columns."""
        for row in other.rows():
            self.append(row)

    def rows(self):
        """Iterate over rows as dicts."""
        names = self.columns
        for values in zip(*(self._cols[n] for n in names)):
            yield dict(zip(names, values))

    @property
    def columns(self):
        """Column names, in order."""
        return list(self._cols)

    def __getitem__(self, name):
        if name not in self._cols:
            raise KeyError(f"no column {name!r}; columns: {self.columns}")
        return np.asarray(self._cols[name])

    def __contains__(self, name):
        return name in self._cols

    def __len__(self):
        return len(next(iter(self._cols.values()), []))

    def to_dict(self):
        """Columns as a dict of lists (plain data, for checkpoints)."""
        return {k: list(v) for k, v in self._cols.items()}

    def unit(self, name):
        """SI unit of a column ("J" for energies)."""
        return column_unit(name)

    def to_csv(self, path):
        """Write a CSV file with a header row of column names."""
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(self.columns)
            for row in self.rows():
                writer.writerow([repr(v) for v in row.values()])

    @classmethod
    def from_csv(cls, path):
        """Read a table written by ``to_csv``."""
        data = np.genfromtxt(path, delimiter=",", names=True)
        return cls({name: np.atleast_1d(data[name]) for name in data.dtype.names})

    def plot(self, x="t", ys=("mx", "my", "mz"), path=None, ax=None, **kwargs):
        """Plot columns ``ys`` against ``x`` (time in ns when x is "t"); save to ``path`` if given."""
        if ax is None:
            from matplotlib.figure import Figure
            ax = Figure(figsize=(6, 4)).subplots()
        ys = [ys] if isinstance(ys, str) else list(ys)
        xs = self[x] * (1e9 if x == "t" else 1.0)
        for y in ys:
            ax.plot(xs, self[y], label=y, **kwargs)
        ax.set_xlabel("t (ns)" if x == "t" else x)
        ax.legend()
        if path:
            ax.figure.tight_layout()
            ax.figure.savefig(path, dpi=120)
        return ax

    def __repr__(self):
        return f"Table({len(self)} rows: {', '.join(self.columns)})"
