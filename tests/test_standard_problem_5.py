"""muMAG standard problem 5 (Zhang-Li torque on a vortex) against fidimag.

Reference: fidimag's <m>(t) on the same 20 x 20 x 2 mesh of 5 nm cells, every 10 ps over 8 ns
(../shared/reference/sp5_fidimag_cell5nm.csv, from MagneticSimulation/MicroMagnetic.jl). fidimag
ran its vortex with the opposite circulation and the opposite current, which is the problem
here turned by 180 degrees about z and mirrored in the film's mid-plane: <m> is the same.
Its drift velocity uses g = 2.0023 and no 1/(1 + beta^2), 0.37 % above mumax3's u used here;
run with fidimag's u the deviations below shrink to 0.0003 (mx), 0.0007 (my), 0.0002 (mz).
"""
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
import standard_problem_5 as sp5  # noqa: E402

from pymag.units import nm, ns, ps  # noqa: E402


def fidimag(reference):
    data = np.loadtxt(reference / "sp5_fidimag_cell5nm.csv", delimiter=",", skiprows=1)
    return {"t": data[:, 0], "mx": data[:, 1], "my": data[:, 2], "mz": data[:, 3]}


def first_extremum(t, x):
    """Time of the first local extremum of samples x(t), refined by the parabola through the
    sample at the turn and its two neighbours."""
    turns = np.flatnonzero(np.diff(np.sign(np.diff(x))) != 0)
    i = int(turns[0]) + 1
    x0, x1, x2 = x[i - 1], x[i], x[i + 1]
    return t[i] + (t[i + 1] - t[i]) * (x0 - x2) / (2 * (x0 - 2 * x1 + x2))


def assert_follows_fidimag(table, ref):
    n = len(table["t"])
    # both tables are sampled on the same 10 ps grid
    assert np.allclose(table["t"], ref["t"][:n], rtol=0, atol=1e-15)
    for comp in ("mx", "my", "mz"):
        # different codes on one mesh: the drift velocities differ by 0.37 % (see above) and
        # fidimag takes one-sided differences at the edges; 0.005 is the bound set for SP5 on
        # this mesh, where a finer mesh moves <m> by ~0.01
        assert np.abs(table[comp] - ref[comp][:n]).max() < 0.005, comp


@pytest.fixture(scope="module")
def first_ns():
    # 0.75 ns holds the first extrema of <my> (0.33 ns) and <mx> (0.66 ns)
    return sp5.simulate(duration=0.75 * ns, progress=False)


def test_first_nanosecond_follows_fidimag(first_ns, reference):
    assert_follows_fidimag(first_ns, fidimag(reference))


@pytest.mark.parametrize("comp", ["mx", "my"])
def test_first_extrema_at_fidimag_times(first_ns, reference, comp):
    ref = fidimag(reference)
    ours = first_extremum(first_ns["t"], first_ns[comp])
    theirs = first_extremum(ref["t"], ref[comp])
    # both curves are sampled every 10 ps; refined by a parabola the turning points are good to a
    # fraction of a sample, so half a sample (5 ps) separates them only if the dynamics differ
    assert ours == pytest.approx(theirs, abs=5 * ps)


def test_example_script_writes_table_and_figure(tmp_path, monkeypatch):
    # 10 nm cells (10 x 10 x 1) for 20 ps: the script's whole path, in a second
    monkeypatch.setattr(sys, "argv", ["standard_problem_5.py", "--cell", "10", "--duration", "0.02",
                                      "--out", str(tmp_path)])
    sp5.main()
    assert (tmp_path / "sp5.png").stat().st_size > 0
    rows = (tmp_path / "sp5.csv").read_text().splitlines()
    assert len(rows) == 1 + 3  # header, t = 0, 10 and 20 ps


@pytest.mark.slow
def test_eight_nanoseconds_follow_fidimag(reference):
    assert_follows_fidimag(sp5.simulate(cell=5 * nm, progress=False), fidimag(reference))
