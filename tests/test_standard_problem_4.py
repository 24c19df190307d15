"""muMAG standard problem 4 against published results.

Published: the first zero crossing of <mx> under field 1 is at t = 0.138 ns (the mean of the
muMAG submissions, as collected by MagTense, and OOMMF with 2.5 nm cells: 0.1385 ns).
The full <m>(t) curves are compared with the muMAG mean and spread in ../shared/reference.
"""
import csv
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
from standard_problem_4 import simulate  # noqa: E402

from pymag.units import nm, ns  # noqa: E402

CROSSING_FIELD1_NS = 0.138


def first_zero_crossing(t, x):
    i = int(np.flatnonzero(np.diff(np.sign(x)) != 0)[0])
    return t[i] + (t[i + 1] - t[i]) * x[i] / (x[i] - x[i + 1])


def published(reference, field):
    with open(reference / f"sp4_field{field}_mumag_published_mean_sigma.csv") as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


@pytest.fixture(scope="module", params=["float64", "float32"])
def field1_coarse(request):
    # 5 nm cells: 4x fewer cells than the 2.5 nm reference mesh; still below the exchange
    # length 5.7 nm, so the switching path is the published one
    return simulate(1, cell=5 * nm, dtype=request.param, progress=False)


def test_field1_mx_crosses_zero_at_published_time(field1_coarse):
    t = first_zero_crossing(field1_coarse["t"] / ns, field1_coarse["mx"])
    # coarse cells shift the crossing by a few ps; the muMAG submissions spread ~5 ps
    assert t == pytest.approx(CROSSING_FIELD1_NS, abs=0.008)


def test_field1_my_follows_the_published_mean(field1_coarse, reference):
    ref = published(reference, 1)
    t = field1_coarse["t"] / ns
    for comp in ("mx", "my"):
        ours = np.interp(ref["t_ns"], t, field1_coarse[comp])
        # the submissions' own spread reaches sigma(my) = 0.037; allow 3 sigma + 0.03 for 5 nm cells
        bound = 3 * ref[f"{comp}_sigma"] + 0.03
        assert np.all(np.abs(ours - ref[f"{comp}_mean"]) <= bound), comp


@pytest.mark.slow
@pytest.mark.parametrize("field", [1, 2])
def test_fine_mesh_matches_published_curves(field, reference):
    table = simulate(field, cell=2.5 * nm, progress=False)
    ref = published(reference, field)
    t = table["t"] / ns
    for comp in ("mx", "my", "mz"):
        ours = np.interp(ref["t_ns"], t, table[comp])
        bound = 2 * ref[f"{comp}_sigma"] + 0.01
        assert np.all(np.abs(ours - ref[f"{comp}_mean"]) <= bound), comp
    if field == 1:
        assert first_zero_crossing(t, table["mx"]) == pytest.approx(CROSSING_FIELD1_NS, abs=0.003)


@pytest.mark.slow
def test_fine_mesh_matches_oommf(reference):
    with open(reference / "sp4_field1_oommf_cell2.5x2.5x3nm.csv") as f:
        rows = list(csv.DictReader(f))
    ref = {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    table = simulate(1, cell=2.5 * nm, progress=False)
    for comp in ("mx", "my", "mz"):
        ours = np.interp(ref["t_s"], table["t"], table[comp])
        # same mesh as OOMMF; differences come from relaxation and solver tolerances
        assert np.abs(ours - ref[comp]).max() < 0.02, comp
