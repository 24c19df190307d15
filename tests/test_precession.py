"""LLG dynamics of a macrospin against the analytic solution, and energy conservation at alpha = 0.

A spin in a static field H along z precesses counterclockwise (seen from +z) at the Larmor
angular frequency omega = gamma0 H/(1+alpha^2), while its polar angle follows
tan(theta/2) = tan(theta0/2) exp(-alpha omega t)  (e.g. Mallinson, IEEE Trans. Magn. 23, 2003 (1987)).
"""
import math

import numpy as np
import pytest

import pymag as pm
from pymag.units import gamma0, mT, ns, ps

B = 100 * mT
H = B / pm.units.mu0


def macrospin(alpha, theta0, dtype="float64"):
    mesh = pm.Mesh(n=(1, 1, 1), cell=(2e-9, 2e-9, 2e-9))
    m0 = (math.sin(theta0), 0.0, math.cos(theta0))
    return pm.System(mesh, material={"Ms": 8e5, "alpha": alpha}, terms=[pm.Zeeman(B=(0, 0, B))],
                     m=m0, dtype=dtype)


@pytest.mark.parametrize("method,dt", [("rk45", None), ("rk4", 0.05 * ps)])
def test_larmor_precession_alpha_zero(method, dt, dtype):
    system = macrospin(0.0, math.radians(30), dtype)
    table = system.run(0.2 * ns, method=method, dt=dt, save_every=5 * ps, progress=False)
    omega = gamma0 * H                                  # 3.9e9... rad/s, f = 2.8 GHz for 100 mT
    t = table["t"]
    s = math.sin(math.radians(30))
    # rk4 with a 0.05 ps step is accurate to ~1e-9, so float32 rounding (~1e-7 per step) dominates;
    # rk45 at its default per-step tolerance 1e-5 accumulates a few 1e-5 over its ~30 steps
    tol = 1e-4 if method == "rk45" else (1e-6 if dtype == "float64" else 2e-4)
    np.testing.assert_allclose(table["mx"], s * np.cos(omega * t), atol=tol)
    np.testing.assert_allclose(table["my"], s * np.sin(omega * t), atol=tol)
    np.testing.assert_allclose(table["mz"], math.cos(math.radians(30)), atol=tol)


def test_damped_precession_follows_analytic_angles():
    alpha, theta0 = 0.1, math.radians(60)
    system = macrospin(alpha, theta0)
    table = system.run(0.5 * ns, save_every=10 * ps, tol=1e-7, progress=False)
    omega = gamma0 * H / (1 + alpha**2)
    t = table["t"]
    theta = 2 * np.arctan(math.tan(theta0 / 2) * np.exp(-alpha * omega * t))
    phi = omega * t
    np.testing.assert_allclose(table["mz"], np.cos(theta), atol=1e-6)
    np.testing.assert_allclose(table["mx"], np.sin(theta) * np.cos(phi), atol=1e-6)
    np.testing.assert_allclose(table["my"], np.sin(theta) * np.sin(phi), atol=1e-6)


def test_energy_is_conserved_without_damping():
    # a non-uniform state under exchange, anisotropy, static field and demag: with alpha = 0 the
    # LLG flow conserves the total energy exactly; the integrator error bounds the drift
    mesh = pm.Mesh(n=(16, 8, 2), cell=(3e-9, 3e-9, 3e-9))
    system = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.0, "Ku": 2e5, "Ku_axis": (1, 1, 0)},
                       terms=[pm.Exchange(), pm.UniaxialAnisotropy(), pm.Zeeman(B=(0, 0.02, 0.05)), pm.Demag()],
                       m=pm.init.random(seed=3))
    m0 = system.m.clone()
    table = system.run(0.05 * ns, save_every=5 * ps, tol=1e-7, progress=False)
    e = table["E_total"]
    scale = np.abs(table["E_exchange"]).max()
    assert np.abs(e - e[0]).max() < 1e-6 * scale
    # the state really moved: spins turned by large angles while the energy stayed put
    assert float((system.m - m0).norm(dim=0).max()) > 0.5


def test_heun_converges_at_second_order():
    # Heun's method is second order: halving the step divides the error of the damped precession
    # (against the analytic angles above) by 4; the ratio of two errors is 4 up to terms of order dt
    alpha, theta0 = 0.1, math.radians(60)
    omega = gamma0 * H / (1 + alpha**2)
    errors = []
    for dt in (0.2 * ps, 0.1 * ps):
        system = macrospin(alpha, theta0)
        table = system.run(0.1 * ns, method="heun", dt=dt, progress=False)
        t = table["t"][-1]
        theta = 2 * math.atan(math.tan(theta0 / 2) * math.exp(-alpha * omega * t))
        exact = np.array([math.sin(theta) * math.cos(omega * t), math.sin(theta) * math.sin(omega * t), math.cos(theta)])
        errors.append(np.abs(np.array([table["mx"][-1], table["my"][-1], table["mz"][-1]]) - exact).max())
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=0.1)


def test_damping_only_keeps_azimuth_and_follows_damped_polar_angle():
    # precession=False (OOMMF's do_precess 0): dm/dt = -gamma alpha/(1+alpha^2) m x (m x H), so
    # the spin turns towards H in its starting plane (my stays 0) with the same polar law
    # tan(theta/2) = tan(theta0/2) exp(-alpha omega t) as the full LLG equation (Mallinson)
    alpha, theta0 = 0.5, math.radians(60)
    system = macrospin(alpha, theta0)
    table = system.run(0.2 * ns, method="rk4", dt=0.05 * ps, save_every=10 * ps, progress=False,
                       precession=False)
    omega = gamma0 * H / (1 + alpha**2)
    theta = 2 * np.arctan(math.tan(theta0 / 2) * np.exp(-alpha * omega * table["t"]))
    # rk4 with a 0.05 ps step (1/4000 of the 0.2 ns decay time) is accurate to ~1e-10
    np.testing.assert_allclose(table["mz"], np.cos(theta), atol=1e-8)
    np.testing.assert_allclose(table["my"], 0.0, atol=1e-12)
