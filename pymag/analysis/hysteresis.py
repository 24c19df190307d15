"""Hysteresis loops: branches, remanence and coercivity from a recorded field sweep."""
import numpy as np

from ..units import mu0, Oe

FIELD_UNITS = {"A/m": 1.0, "mT": 1e-3 / mu0, "T": 1.0 / mu0, "Oe": Oe, "kA/m": 1e3}


def branches(H):
    """Index ranges (start, stop) of the monotonic runs of a field sweep ``H``; a turning
    point belongs to both runs it joins."""
    H = np.asarray(H, dtype=float)
    if H.size < 2:
        return [(0, H.size)]
    steps = np.sign(np.diff(H))
    for i in range(1, steps.size):
        if steps[i] == 0:
            steps[i] = steps[i - 1]
    out, start = [], 0
    for i in range(1, steps.size):
        if steps[i] != 0 and steps[i - 1] != 0 and steps[i] != steps[i - 1]:
            out.append((start, i + 1))
            start = i
    out.append((start, H.size))
    return out


def _crossing(x, y):
    """x where y first crosses zero along the arrays (linear interpolation), NaN if never."""
    for j in range(len(y)):
        if y[j] == 0:
            return float(x[j])
        if j + 1 < len(y) and y[j] * y[j + 1] < 0:
            return float(x[j] + (x[j + 1] - x[j]) * y[j] / (y[j] - y[j + 1]))
    return float("nan")


class HysteresisResult:
    """What ``system.hysteresis`` returns: ``H`` (A/m), ``M`` (<m> along ``direction``),
    the full ``table`` (H, Hx, Hy, Hz, t, mx, my, mz, energies, M) and, when recorded,
    ``states`` (one (3, nx, ny, nz) array per field)."""

    def __init__(self, table, direction, states=None):
        self.table = table
        self.direction = np.asarray(direction, dtype=float)
        self.states = states

    @property
    def H(self):
        """Applied field along the direction (A/m), one value per step."""
        return self.table["H"]

    @property
    def M(self):
        """Mean reduced magnetization <m>.direction at each step (M/Ms)."""
        return self.table["M"]

    def branches(self):
        """Index ranges (start, stop) of the sweep's monotonic branches."""
        return branches(self.H)

    def _per_branch(self, value):
        out = tuple(value(self.H[a:b], self.M[a:b]) for a, b in self.branches())
        return out[0] if len(out) == 1 else out

    @property
    def remanence(self):
        """Mr/Ms: M where H crosses zero, interpolated; one per branch (a tuple when the sweep
        returns), NaN for a branch that does not pass H = 0."""
        return self._per_branch(lambda H, M: _crossing(M, H))

    @property
    def coercivity(self):
        """Hc (A/m, positive): |H| where M first crosses zero, interpolated; one per branch
        (a tuple when the sweep returns), NaN for a branch that does not reverse M."""
        return self._per_branch(lambda H, M: abs(_crossing(H, M)))

    def plot(self, path=None, unit="mT", ax=None, **kwargs):
        """M/Ms against the applied field in ``unit`` (A/m, kA/m, mT, T or Oe); saved to
        ``path`` when given. Returns the matplotlib Axes."""
        if unit not in FIELD_UNITS:
            from ..errors import PymagError
            raise PymagError(f"unknown field unit {unit!r}; choose one of {sorted(FIELD_UNITS)}")
        if ax is None:
            from matplotlib.figure import Figure
            ax = Figure(figsize=(5.5, 4)).subplots()
        ax.plot(self.H / FIELD_UNITS[unit], self.M, marker=".", markersize=3, **kwargs)
        ax.axhline(0, color="0.7", lw=0.8)
        ax.axvline(0, color="0.7", lw=0.8)
        ax.set_xlabel(f"applied field ({'µ0H, ' if unit in ('mT', 'T') else ''}{unit})")
        ax.set_ylabel("M/Ms along the field")
        if path is not None:
            ax.figure.tight_layout()
            ax.figure.savefig(path, dpi=120)
        return ax

    def to_csv(self, path):
        """Write the sweep table (SI units) as CSV."""
        self.table.to_csv(path)

    def __repr__(self):
        return f"HysteresisResult({len(self.H)} fields, remanence={self.remanence}, coercivity={self.coercivity})"
