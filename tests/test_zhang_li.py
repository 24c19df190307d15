"""Zhang-Li spin-transfer torque against analytic results: the discrete torque on a spiral,
domain walls in the 1-D model (Thiaville et al., Europhys. Lett. 69, 990 (2005); Li and Zhang,
PRL 92, 207203 (2004)), in every driver, in float32 and float64, batched and time-dependent."""
import numpy as np
import pytest
import torch

import pymag as pm
from pymag.drivers.llg import LLG
from pymag.symbolic import m as m_sym
from pymag.symbolic import material
from pymag.units import muB, nm, qe

MS = 8e5


def drift(j, P=1.0, beta=0.0, Ms=MS):
    """mumax3's drift velocity u = P g muB j / (2 e Ms (1 + beta^2)) (m/s), g = 2."""
    return P * muB * j / (qe * Ms * (1 + beta * beta))


# ----- a spiral m = (cos kx, sin kx, 0) on a periodic wire ------------------------------------
# Central differences give (u.grad) m = u sin(k d)/d e_phi exactly, e_phi = (-sin kx, cos kx, 0),
# and m x e_phi = z, so the LL torque is
#   dm/dt = u k'/(1+alpha^2) [(1 + beta alpha) e_phi - (beta - alpha) z],   k' = sin(k d)/d.
# With beta = alpha it is the rigid rotation of every spin about z at omega = u k' (the spiral
# drifts against u): phi(t) = k x + omega t.
N, D = 32, 2 * nm
K = 2 * np.pi * 2 / (N * D)
K_DISCRETE = np.sin(K * D) / D


def spiral(j, dtype="float64", alpha=0.1, beta=0.1):
    mesh = pm.Mesh(n=(N, 1, 1), cell=(D, D, D), pbc=(1, 0, 0))
    return pm.System(mesh, material={"Ms": MS, "alpha": alpha}, terms=[pm.ZhangLi(j=j, P=1, beta=beta)],
                     m=lambda x, y, z: (np.cos(K * x), np.sin(K * x), 0 * x), dtype=dtype)


def phase_shift(m, x):
    """Phase of every spin minus k x (rad), wrapped to (-pi, pi]."""
    m = np.asarray(m, dtype=float)[:, :, 0, 0]
    return np.angle(np.exp(1j * (np.arctan2(m[1], m[0]) - K * x)))


def test_torque_on_a_spiral_is_the_analytic_torque(dtype):
    alpha, beta, j = 0.02, 0.3, 1e12
    system = spiral((j, 0, 0), dtype, alpha, beta)
    dm = LLG(system)(0.0, system.m)[0].double().numpy()[:, :, 0, 0]
    x = system.mesh.coordinates()[0][:, 0, 0]
    scale = drift(j, beta=beta) * K_DISCRETE / (1 + alpha ** 2)
    expected = scale * np.stack([-(1 + beta * alpha) * np.sin(K * x), (1 + beta * alpha) * np.cos(K * x),
                                 -(beta - alpha) * np.ones_like(x)])
    # float32 rounds m and the differences of neighbours (|dm| ~ 0.4) to ~1e-7 relative;
    # 1e-5 of the torque's size leaves room for that, float64 agrees to rounding
    tol = 1e-5 if dtype == "float32" else 1e-10
    assert np.abs(dm - expected).max() < tol * np.abs(expected).max()


def test_missing_neighbour_counts_as_the_cell_itself():
    # open wire: at the ends the neighbour outside is replaced by the cell itself, so
    # (u.grad) m = u (m_1 - m_0)/(2 d) there (mumax3's clamped stencil); with beta = alpha the
    # torque is h - m (m.h), h = (u.grad) m
    mesh = pm.Mesh(n=(8, 1, 1), cell=(D, D, D))
    system = pm.System(mesh, material={"Ms": MS, "alpha": 0.1}, terms=[pm.ZhangLi(j=(1e12, 0, 0), P=1, beta=0.1)],
                       m=lambda x, y, z: (np.cos(K * x), np.sin(K * x), 0 * x))
    m = system.m.numpy()[:, :, 0, 0]
    dm = LLG(system)(0.0, system.m)[0].numpy()[:, :, 0, 0]
    u = drift(1e12, beta=0.1)
    for cell, (left, right) in ((0, (0, 1)), (7, (6, 7)), (3, (2, 4))):
        h = u * (m[:, right] - m[:, left]) / (2 * D)
        expected = h - m[:, cell] * (m[:, cell] @ h)
        assert np.allclose(dm[:, cell], expected, rtol=1e-12, atol=1e-12 * np.abs(h).max())


def test_empty_neighbour_counts_as_the_cell_itself():
    # cells 6 and 7 lie outside the magnet: cell 5 takes (m_5 - m_4)/(2 d), the empty cells
    # feel nothing (mumax3 would read m = 0 there)
    mesh = pm.Mesh(n=(8, 1, 1), cell=(D, D, D))
    system = pm.System(mesh, geometry=pm.Cuboid(size=(6 * D, D, D)).translate(-D, 0, 0),
                       material={"Ms": MS, "alpha": 0.1}, terms=[pm.ZhangLi(j=(1e12, 0, 0), P=1, beta=0.1)],
                       m=lambda x, y, z: (np.cos(K * x), np.sin(K * x), 0 * x))
    m = system.m.numpy()[:, :, 0, 0]
    dm = LLG(system)(0.0, system.m)[0].numpy()[:, :, 0, 0]
    h = drift(1e12, beta=0.1) * (m[:, 5] - m[:, 4]) / (2 * D)
    assert np.allclose(dm[:, 5], h - m[:, 5] * (m[:, 5] @ h), rtol=1e-12, atol=1e-12 * np.abs(h).max())
    assert np.all(dm[:, 6:] == 0)


@pytest.mark.parametrize("method, dt", [("rk45", None), ("rk23", None), ("rk4", 1e-12), ("heun", 1e-12)])
def test_spiral_drifts_rigidly_in_every_driver(method, dt, dtype):
    T = 5e-11
    system = spiral((1e12, 0, 0), dtype)
    system.run(T, method=method, dt=dt, progress=False)
    x = system.mesh.coordinates()[0][:, 0, 0]
    omega = drift(1e12, beta=0.1) * K_DISCRETE
    # omega T = 0.69 rad; the adaptive pairs keep a per-step error of 1e-5 over ~10 steps, the
    # fixed steps (omega dt = 0.014) err by < 1e-6 rad: 1e-4 rad bounds them all, float32 included
    assert np.abs(phase_shift(system.m, x) - omega * T).max() < 1e-4


def test_ensemble_gives_each_system_its_own_current():
    # system 1 drives along x, system 2 along y, which has no gradient on this wire: the first
    # spiral rotates at omega = u k', the second stays put
    T = 5e-11
    ensemble = pm.Ensemble([spiral((1e12, 0, 0)), spiral((0, 5e11, 0))])
    ensemble.run(T)
    x = ensemble.systems[0].mesh.coordinates()[0][:, 0, 0]
    omega = drift(1e12, beta=0.1) * K_DISCRETE
    assert np.abs(phase_shift(ensemble.systems[0].m, x) - omega * T).max() < 1e-4
    assert np.abs(phase_shift(ensemble.systems[1].m, x)).max() < 1e-12


def test_ensemble_of_opposite_currents():
    # j and -j/2: rotation at omega and -omega/2
    T = 5e-11
    ensemble = pm.Ensemble([spiral((1e12, 0, 0)), spiral((-5e11, 0, 0))])
    ensemble.run(T)
    x = ensemble.systems[0].mesh.coordinates()[0][:, 0, 0]
    omega = drift(1e12, beta=0.1) * K_DISCRETE
    assert np.abs(phase_shift(ensemble.systems[0].m, x) - omega * T).max() < 1e-4
    assert np.abs(phase_shift(ensemble.systems[1].m, x) + omega * T / 2).max() < 1e-4


def test_ensemble_of_different_damping_and_non_adiabaticity():
    # beta = alpha = 0.1 and 0.3: each spiral turns at its own u(beta) k'
    T = 5e-11
    ensemble = pm.Ensemble([spiral((1e12, 0, 0), alpha=0.1, beta=0.1), spiral((1e12, 0, 0), alpha=0.3, beta=0.3)])
    ensemble.run(T)
    x = ensemble.systems[0].mesh.coordinates()[0][:, 0, 0]
    for system, beta in zip(ensemble.systems, (0.1, 0.3)):
        assert np.abs(phase_shift(system.m, x) - drift(1e12, beta=beta) * K_DISCRETE * T).max() < 1e-4


def test_current_as_a_function_of_time():
    # j(t) = j0 t/T: the phase grows as omega0 t^2/(2T), omega0 T/2 at the end
    T, j0 = 5e-11, 1e12
    system = spiral(lambda t: (j0 * t / T, 0, 0))
    system.run(T, progress=False)
    x = system.mesh.coordinates()[0][:, 0, 0]
    omega0 = drift(j0, beta=0.1) * K_DISCRETE
    assert np.abs(phase_shift(system.m, x) - omega0 * T / 2).max() < 1e-4


def test_current_as_a_named_parameter():
    system = spiral(lambda j0: (j0, 0, 0))
    system.params.j0 = 1e12
    T = 5e-11
    system.run(T, progress=False)
    x = system.mesh.coordinates()[0][:, 0, 0]
    assert np.abs(phase_shift(system.m, x) - drift(1e12, beta=0.1) * K_DISCRETE * T).max() < 1e-4


# ----- domain walls ---------------------------------------------------------------------------
# A 1-D wire of 2 nm cells along x, wall width Delta = sqrt(A/K) = 10 nm, no demag. The wall
# position follows from the average of the easy-axis component, <m_e> = 2 x_w / L, and its
# velocity from a straight-line fit after the transient. Central differences underestimate the
# gradient of the tanh profile by ~ (d/Delta)^2/6 ~ 0.7 %, well inside the 2 % tolerance.
A, KU, DW = 1e-11, 1e5, 2 * nm


def wall_velocity(system, component, T, L):
    table = system.run(T, save_every=T / 20, progress=False)
    t = np.asarray(table["t"])
    x_wall = L * np.asarray(table[component]) / 2
    return np.polyfit(t[10:], x_wall[10:], 1)[0]


@pytest.mark.parametrize("beta", [0.0, 0.3])
def test_wall_without_transverse_anisotropy(beta):
    # head-to-head wall (+x | -x) with the easy axis along the wire and nothing that fixes the
    # wall plane: the wall precesses and moves at v = -(1 + alpha beta)/(1 + alpha^2) u for any
    # beta (Li and Zhang 2004; Thiaville et al. 2005, eq. 5 with H_K = 0)
    alpha, j, n = 0.1, 1e12, 200
    delta = np.sqrt(A / KU)
    mesh = pm.Mesh(n=(n, 1, 1), cell=DW)

    def wall(x, y, z):
        theta = 2 * np.arctan(np.exp(x / delta))
        return np.cos(theta), np.sin(theta), 0 * x

    system = pm.System(mesh, material={"Ms": MS, "A": A, "alpha": alpha, "Ku": KU, "Ku_axis": (1, 0, 0)},
                       terms=[pm.Exchange(), pm.UniaxialAnisotropy(), pm.ZhangLi(j=(j, 0, 0), P=1, beta=beta)], m=wall)
    v = wall_velocity(system, "mx", 0.5e-9, n * DW)
    expected = -(1 + alpha * beta) / (1 + alpha ** 2) * drift(j, beta=beta)
    assert v == pytest.approx(expected, rel=0.02)


@pytest.mark.parametrize("alpha, beta", [(0.5, 0.25), (0.3, 0.6)])
def test_wall_below_walker_breakdown(alpha, beta):
    # Bloch wall (+z | -z, rotating through +y) with a hard axis x (energy Kh m_x^2): below
    # Walker breakdown the wall tilts to a fixed angle and moves at v = -(beta/alpha) u
    # (Thiaville et al. 2005). Kh = 2e5 J/m^3 puts Walker breakdown at
    # u_W = alpha/|beta - alpha| gamma Delta Kh/(mu0 Ms) > 400 m/s, far above u ~ 30 m/s,
    # and the transient decays in (1+alpha^2)/(alpha gamma 2Kh/(mu0 Ms)) < 0.05 ns
    j, n, Kh = 5e11, 200, 2e5
    delta = np.sqrt(A / KU)
    mesh = pm.Mesh(n=(n, 1, 1), cell=DW)

    def wall(x, y, z):
        theta = 2 * np.arctan(np.exp(x / delta))
        return 0 * x, np.sin(theta), np.cos(theta)

    hard = pm.EnergyTerm.from_density(material("Kh") * m_sym[0] ** 2, name="hard_axis")
    system = pm.System(mesh, material={"Ms": MS, "A": A, "alpha": alpha, "Ku": KU, "Ku_axis": (0, 0, 1), "Kh": Kh},
                       terms=[pm.Exchange(), pm.UniaxialAnisotropy(), hard,
                              pm.ZhangLi(j=(j, 0, 0), P=1, beta=beta)], m=wall)
    v = wall_velocity(system, "mz", 0.5e-9, n * DW)
    assert v == pytest.approx(-(beta / alpha) * drift(j, beta=beta), rel=0.02)


# ----- input ----------------------------------------------------------------------------------
def wire(term):
    return pm.System(pm.Mesh(n=(4, 1, 1), cell=DW), material={"Ms": MS, "alpha": 0.1}, terms=[term])


def test_polarization_is_required():
    with pytest.raises(pm.PymagError, match="P"):
        pm.ZhangLi(j=(1e12, 0, 0))


def test_current_is_required():
    with pytest.raises(pm.PymagError, match="ZhangLi needs j"):
        pm.ZhangLi(P=0.5)


@pytest.mark.parametrize("key, value", [("j", (np.nan, 0, 0)), ("P", np.inf), ("beta", np.nan)])
def test_non_finite_values_are_refused_before_a_step(key, value):
    # a constant is refused when the term is made, j when the system is assembled
    args = {"j": (1e12, 0, 0), "P": 0.5, "beta": 0.05, key: value}
    with pytest.raises(pm.PymagError, match=f"ZhangLi {key} contains NaN"):
        wire(pm.ZhangLi(**args)).run(1e-12, progress=False)


def test_non_finite_current_function_is_refused_before_a_step():
    system = wire(pm.ZhangLi(j=lambda t: (np.inf, 0, 0), P=0.5))
    with pytest.raises(pm.PymagError, match="ZhangLi j contains NaN"):
        system.run(1e-12, progress=False)


@pytest.mark.parametrize("key, value", [("j", np.zeros((3, 2, 1, 1))), ("j", (1e12, 0)), ("P", np.ones((3,)))])
def test_wrong_shapes_are_refused(key, value):
    args = {"j": (1e12, 0, 0), "P": 0.5, key: value}
    with pytest.raises(pm.PymagError, match=f"ZhangLi {key} must be a"):
        wire(pm.ZhangLi(**args)).assemble()


def test_per_cell_current_and_polarization():
    # j and P per cell: the right half carries the current at P = 0.5, the left half none. On the
    # spiral with beta = alpha only the driven cells turn, at omega = u k' (interior stencil)
    mesh = pm.Mesh(n=(N, 1, 1), cell=(D, D, D), pbc=(1, 0, 0))
    j = np.zeros((3, N, 1, 1))
    j[0, N // 2:] = 1e12
    P = np.full((N, 1, 1), 0.5)
    system = pm.System(mesh, material={"Ms": MS, "alpha": 0.1}, terms=[pm.ZhangLi(j=j, P=P, beta=0.1)],
                       m=lambda x, y, z: (np.cos(K * x), np.sin(K * x), 0 * x))
    dm = LLG(system)(0.0, system.m)[0].numpy()[:, :, 0, 0]
    rate = np.hypot(dm[0], dm[1])
    assert np.abs(rate[:N // 2]).max() == 0
    assert rate[N // 2:] == pytest.approx(drift(1e12, P=0.5, beta=0.1) * K_DISCRETE, rel=1e-12)


def test_gradient_by_the_current():
    # d(dm/dt)/dj is the torque per unit current: for the spiral with beta = alpha the rate
    # of turning is u k', so d|dm/dt|/dj = P muB/(e Ms (1 + beta^2)) k'
    j = torch.tensor(1e12, dtype=torch.float64, requires_grad=True)
    system = spiral((j, 0.0, 0.0))
    dm = LLG(system)(0.0, system.m)[0]
    rate = torch.sqrt(dm[0, 0] ** 2 + dm[1, 0] ** 2).squeeze()
    (grad,) = torch.autograd.grad(rate, j)
    assert float(grad) == pytest.approx(drift(1.0, beta=0.1) * K_DISCRETE, rel=1e-10)


def test_gradient_through_a_run():
    # the phase of the drifting spiral is omega T = u k' T, linear in j: d phase/dj = (u/j) k' T
    j = torch.tensor(1e12, dtype=torch.float64, requires_grad=True)
    T = 2e-11
    table = spiral((j, 0.0, 0.0)).run(T, differentiable=True, progress=False)
    m = table.final_m
    phase = torch.atan2(m[1, 0, 0, 0], m[0, 0, 0, 0])
    (grad,) = torch.autograd.grad(phase, j)
    # the adaptive steps (error 1e-5 per step) leave ~1e-5 relative in the phase and its gradient
    assert float(grad) == pytest.approx(drift(1.0, beta=0.1) * K_DISCRETE * T, rel=1e-4)


def test_repr_names_the_arguments():
    text = repr(pm.ZhangLi(j=(1e12, 0, 0), P=0.56, beta=0.05))
    assert text == "ZhangLi(j=(1000000000000.0, 0.0, 0.0), P=0.56, beta=0.05)"
