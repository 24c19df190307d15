"""The example scripts run on small settings and give the physics they are about.

examples/standard_problem_1.py: muMAG SP1 loops of a 1 x 2 um x 20 nm permalloy film.
examples/vortex_film.py: NeuralMAG's cooling workflow on a two-layer film.
"""
import math
import pathlib
import sys

import numpy as np
import pytest

import pymag as pm
from pymag.units import mT, mu0, nm

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))

import standard_problem_1 as sp1  # noqa: E402
import vortex_film  # noqa: E402


# ----- standard problem 1 -------------------------------------------------------------------

def aharoni_N(a, b, c):
    """Demagnetizing factor along c of a uniformly magnetized rectangular prism of
    2a x 2b x 2c (A. Aharoni, J. Appl. Phys. 83, 3432 (1998), eq. 1)."""
    abc, ab, bc, ac = (math.sqrt(a * a + b * b + c * c), math.hypot(a, b), math.hypot(b, c), math.hypot(a, c))
    s = ((b * b - c * c) / (2 * b * c) * math.log((abc - a) / (abc + a))
         + (a * a - c * c) / (2 * a * c) * math.log((abc - b) / (abc + b))
         + b / (2 * c) * math.log((ab + a) / (ab - a)) + a / (2 * c) * math.log((ab + b) / (ab - b))
         + c / (2 * a) * math.log((bc - b) / (bc + b)) + c / (2 * b) * math.log((ac - a) / (ac + a))
         + 2 * math.atan(a * b / (c * abc)) + (a**3 + b**3 - 2 * c**3) / (3 * a * b * c)
         + (a * a + b * b - 2 * c * c) / (3 * a * b * c) * abc + c / (a * b) * (ac + bc)
         - (ab**3 + bc**3 + ac**3) / (3 * a * b * c))
    return s / math.pi


def sp1_anisotropy_field():
    """mu0 H_K (T) of the SP1 film as one macrospin: 2 Ku/Ms plus the shape part (N_x - N_y) Ms.
    A uniform (Stoner-Wohlfarth) reversal along the easy long axis needs this field; a
    non-uniform one starts earlier, so every coercive field lies below it."""
    a, b, c = (s / 2 for s in sp1.SIZE)
    Nx, Ny = aharoni_N(b, c, a), aharoni_N(c, a, b)
    return 2 * sp1.KU / sp1.MS + mu0 * (Nx - Ny) * sp1.MS


def test_aharoni_factors_of_a_cube_and_the_sp1_film():
    # a cube has N = 1/3; the three factors of any prism add up to 1
    assert aharoni_N(1, 1, 1) == pytest.approx(1 / 3, rel=1e-12)
    a, b, c = (s / 2 for s in sp1.SIZE)
    assert aharoni_N(b, c, a) + aharoni_N(c, a, b) + aharoni_N(a, b, c) == pytest.approx(1, rel=1e-12)
    assert sp1_anisotropy_field() == pytest.approx(17.5 * mT, abs=0.1 * mT)


def check_sp1_loops(loops):
    """Physics every SP1 loop pair must show, per branch: the long axis (easy by shape and
    Ku) keeps most of its magnetization at zero field, the short (hard) axis little, and the
    long axis needs a larger reversing field, below the macrospin anisotropy field."""
    HK = sp1_anisotropy_field() / mu0
    long, short = loops["long"], loops["short"]
    for res in (long, short):
        # at +50 mT the film is close to saturation along the field (0.95-0.98 here)
        assert res.M[0] > 0.9
    mr_long, mr_short = np.atleast_1d(long.remanence), np.atleast_1d(short.remanence)
    hc_long, hc_short = np.atleast_1d(long.coercivity), np.atleast_1d(short.coercivity)
    # remanence: the coarse grids here give 0.86-0.88 (long) and 0.14-0.17 (short)
    assert np.all(np.abs(mr_long) > 0.75)
    assert np.all(np.abs(mr_short) < 0.35)
    assert np.all(np.abs(mr_long) - np.abs(mr_short) > 0.5)
    # the descending branch ends reversed, the ascending one back up: remanences of opposite sign
    assert mr_long[0] > 0 and mr_short[0] > 0
    assert np.all(mr_long[1:] < 0) and np.all(mr_short[1:] < 0)
    assert np.all(np.isfinite(hc_long)) and np.all(np.isfinite(hc_short))
    assert np.all(hc_long > hc_short)
    assert np.all(hc_long < HK) and np.all(hc_short > 0)


def test_sp1_descending_branches_on_a_coarse_grid():
    # 100 nm cells (10 x 20) and 2 mT steps: a coarse grid, but the order of the two axes
    # holds (long axis 3.2 mT here; from the symmetric uniform start this grid's reversal
    # was set by rounding: 10 mT on one CPU, 18 mT on another, beyond the macrospin bound)
    loops = {axis: sp1.simulate(axis, cell=100 * nm, steps=50, loop=False)[0] for axis in ("long", "short")}
    check_sp1_loops(loops)


@pytest.mark.slow
def test_sp1_full_loops():
    # 25 nm cells (40 x 80), 2 mT steps, both branches
    loops = {axis: sp1.simulate(axis, cell=25 * nm, steps=50)[0] for axis in ("long", "short")}
    check_sp1_loops(loops)
    for res in loops.values():
        assert [b - a for a, b in res.branches()] == [51, 51]


def test_sp1_field_directions_are_one_degree_ccw_off_the_axes():
    assert np.degrees(np.arctan2(*sp1.direction("long")[1::-1])) == pytest.approx(91)
    assert np.degrees(np.arctan2(*sp1.direction("short")[1::-1])) == pytest.approx(1)


# ----- vortex film ---------------------------------------------------------------------------

def layer_average(system):
    m = system.m.detach().cpu().numpy().astype(float)
    return m.mean(axis=-1)


def check_cores_against_texture(system, cores):
    """Each core's polarity is the sign of m_z at it, with |m_z| large there; each vortex's
    circulation the sign of the azimuthal in-plane m around it (r x m)_z, on a ring of 2 to
    5 cells: counterclockwise seen from +z is +1."""
    m = layer_average(system)
    x, y, _ = system.mesh.coordinates()
    x, y = x[..., 0], y[..., 0]
    magnet = system.magnet.cpu().numpy().all(axis=-1)
    for core in cores:
        rx, ry = x - core.x, y - core.y
        r = np.hypot(rx, ry)
        nearest = np.unravel_index(np.argmin(np.where(magnet, r, np.inf)), r.shape)
        assert np.sign(m[2][nearest]) == core.polarity
        assert abs(m[2][nearest]) > 0.5
        if core.kind == "vortex":
            ring = magnet & (r > 2 * vortex_film.CELL) & (r < 5 * vortex_film.CELL)
            azimuthal = ((rx * m[1] - ry * m[0]) / np.maximum(r, 1e-30))[ring]
            assert abs(azimuthal.mean()) > 0.5       # the in-plane m curls around the core
            assert np.sign(azimuthal.mean()) == core.circulation


def check_counts(system, cores):
    """The winding-density counts (NeuralMAG eq. 22) equal the cores found, and the net winding
    is 1/2 per vortex minus 1/2 per antivortex."""
    n_v = sum(c.kind == "vortex" for c in cores)
    n_av = sum(c.kind == "antivortex" for c in cores)
    assert pm.analysis.vortex_count(system) == (n_v, n_av)
    assert pm.analysis.winding_density(system).sum() == pytest.approx((n_v - n_av) / 2, abs=0.05)


def test_paper_convergence_criterion_as_a_torque():
    # (dm)_max = 1e-5 in a step of 1e-13 s is |dm/dt| = 1e8 /s = gamma0 |m x H| / sqrt(1 + alpha^2)
    assert vortex_film.paper_torque(0.1) == pytest.approx(1e8 / 2.211e5 * math.sqrt(1.01), rel=1e-3)


def test_cooling_a_96nm_square_into_one_centred_vortex():
    # 32 x 32 x 2 cells of 3 nm; the paper's phase diagram puts such squares in the
    # single-domain or single-vortex state; this seed cools into one vortex (seeds 0 and 3
    # end single-domain)
    init_core = 10
    res = vortex_film.simulate(n=32, seed=1, init_core=init_core, finish="minimize")
    assert sum(res.counts["initial"]) > 5 * init_core      # the random blocks hold dozens of cores
    assert sum(res.counts["cooled"]) <= init_core
    assert res.cooling_steps > 0 and res.t_cooled > 0
    # with damping and no field the energy only falls: start, cooled, final
    E = res.table["E_total"]
    assert E[0] > E[1] > E[-1]
    assert res.system.torque() < vortex_film.paper_torque(vortex_film.ALPHA)
    check_counts(res.system, res.vortices)
    assert [c.kind for c in res.vortices] == ["vortex"]
    check_cores_against_texture(res.system, res.vortices)
    # a lone vortex in a square sits at its centre by symmetry
    core = res.vortices[0]
    assert math.hypot(core.x, core.y) < vortex_film.CELL


@pytest.mark.slow
def test_cooling_with_llg_to_the_papers_criterion():
    res = vortex_film.simulate(n=32, seed=1, init_core=5, finish="llg")
    assert res.system.torque() < vortex_film.paper_torque(vortex_film.ALPHA)
    E = res.table["E_total"]
    assert np.all(np.diff(E) <= 1e-6 * abs(E[0]))           # damped LLG without field: E never rises
    assert sum(res.counts["final"]) <= 1
    check_counts(res.system, res.vortices)
    check_cores_against_texture(res.system, res.vortices)


@pytest.mark.slow
def test_cooling_a_random_polygon(tmp_path):
    res = vortex_film.simulate(n=48, shape="polygon", seed=3, finish="minimize", out=tmp_path)
    magnet = res.system.magnet.cpu().numpy()
    assert 0.15 < magnet.mean() < 0.9     # a polygon (22% of the square here), not the whole square
    check_counts(res.system, res.vortices)
    check_cores_against_texture(res.system, res.vortices)
    for name in ("initial", "cooled", "cooled_winding", "final", "final_winding"):
        assert (tmp_path / f"{name}.png").stat().st_size > 0
