"""Behaviour of system.run / relax / minimize: tables, stop conditions, autosave and resume."""
import math

import numpy as np
import pytest

import pymag as pm
from pymag.units import gamma0, mT, ns, ps


def film(alpha=0.05, m=(1, 0.3, 0.2)):
    mesh = pm.Mesh(n=(12, 6, 1), cell=(3e-9, 3e-9, 3e-9))
    return pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": alpha, "Ku": 1e5, "Ku_axis": (1, 0, 0)},
                     terms=[pm.Exchange(), pm.UniaxialAnisotropy(), pm.Zeeman(B=(0, 10 * mT, 0))], m=m)


def test_table_rows_land_on_save_times():
    table = film().run(0.1 * ns, save_every=10 * ps, progress=False)
    np.testing.assert_allclose(table["t"], np.arange(11) * 10 * ps, rtol=0, atol=1e-21)
    assert table.columns == ["t", "mx", "my", "mz", "E_total", "E_exchange", "E_anisotropy", "E_zeeman"]
    np.testing.assert_allclose(table["E_total"], table["E_exchange"] + table["E_anisotropy"] + table["E_zeeman"])


def test_damping_lowers_energy_monotonically():
    table = film(alpha=0.5).run(0.2 * ns, save_every=5 * ps, progress=False)
    assert np.all(np.diff(table["E_total"]) <= 1e-12 * abs(table["E_total"][0]))


def test_until_stops_the_run():
    system = film()
    table = system.run(1 * ns, until=lambda s: s.m_average[1] < 0, check_every=1, progress=False)
    assert table.stop_reason == "until"
    assert system.m_average[1] < 0 and system.t < 0.1 * ns


def test_max_torque_stops_the_run():
    system = film(alpha=1.0)
    table = system.run(5 * ns, max_torque=10.0, progress=False)
    assert table.stop_reason == "max_torque" and system.torque() <= 10.0


def test_time_dependent_field_drives_precession():
    # an RF field along x at the Larmor frequency of a static field along z: resonance pumps m_x
    mesh = pm.Mesh(n=(1, 1, 1), cell=2e-9)
    B0 = 0.1
    omega = gamma0 * B0 / pm.units.mu0
    system = pm.System(mesh, material={"Ms": 8e5, "alpha": 0.0},
                       terms=[pm.Zeeman(B=(0, 0, B0)),
                              pm.Zeeman(B=lambda t: (1e-3 * math.cos(omega * t), 1e-3 * math.sin(omega * t), 0))],
                       m=(0, 0, 1))
    # rotating-frame Rabi nutation: theta(t) = gamma0 h1 t for a circularly polarized drive
    t = 0.5 * ns
    system.run(t, tol=1e-7, progress=False)
    theta = gamma0 * 1e-3 / pm.units.mu0 * t
    assert system.m_average[2] == pytest.approx(math.cos(theta), abs=2e-3)


def test_autosave_and_resume_reproduce_an_uninterrupted_run(tmp_path):
    path = tmp_path / "run.ckpt"
    whole = film().run(0.1 * ns, save_every=5 * ps, progress=False)
    system = film()
    with pytest.raises(pm.PymagError, match="max_steps"):
        system.run(0.1 * ns, save_every=5 * ps, autosave=path, autosave_every=2, max_steps=5, progress=False)
    resumed = film(m=(0, 0, 1))
    resumed.load_state(path)
    assert 0 < resumed.t < 0.1 * ns
    table = resumed.run(0.1 * ns, save_every=5 * ps, autosave=path, progress=False)
    np.testing.assert_allclose(table["t"], whole["t"], atol=1e-21)
    np.testing.assert_allclose(table["mx"], whole["mx"], atol=1e-5)


def test_relax_and_minimize_reach_the_stoner_wohlfarth_angle():
    # a macrospin with easy axis x in a transverse field h = H/H_K < 1 rests at sin(phi) = h
    mesh = pm.Mesh(n=(1, 1, 1), cell=2e-9)
    Ku, Ms = 1e5, 8e5
    HK = 2 * Ku / (pm.units.mu0 * Ms)
    for driver in ("relax", "minimize"):
        system = pm.System(mesh, material={"Ms": Ms, "alpha": 0.02, "Ku": Ku, "Ku_axis": (1, 0, 0)},
                           terms=[pm.UniaxialAnisotropy(), pm.Zeeman(H=(0, 0.4 * HK, 0))], m=(1, 0.01, 0))
        getattr(system, driver)()
        assert system.m_average[1] == pytest.approx(0.4, abs=1e-5), driver


def test_run_without_duration_goes_on_until_the_condition():
    system = pm.System(pm.Mesh(n=(1, 1, 1), cell=(2e-9,) * 3),
                       material={"Ms": 8e5, "alpha": 0.5}, terms=[pm.Zeeman(H=(0, 0, 1e5))], m=(1, 0, 0))
    table = system.run(until=lambda s: s.m_average[2] > 0.9, check_every=1, progress=False)
    assert table.stop_reason == "until" and 0.9 < system.m_average[2] < 0.99
    with pytest.raises(pm.PymagError, match="stop condition"):
        system.run()


def test_a_state_without_torque_stays_put():
    # m parallel to the applied field is a fixed point of the LLG equation; the adaptive
    # stepper starts from a zero derivative and zero error estimates without failing
    s = pm.System(pm.Mesh(n=(2, 2, 1), cell=(2e-9,) * 3), material={"Ms": 8e5, "alpha": 0.1},
                  terms=[pm.Zeeman(H=(1e4, 0, 0))], m=(1, 0, 0))
    s.run(1e-12, progress=False)
    assert s.m_average.tolist() == [1.0, 0.0, 0.0]
