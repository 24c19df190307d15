"""Dynamic parameters: values as functions of time, of named parameters and of other
material keys, resolved by argument name when the system is assembled."""
import math

import numpy as np
import pytest

import pymag as pm
from pymag.units import mu0

GAMMA = 2.211e5          # m/(A s), pymag's default gyromagnetic ratio
ONE_CELL = pm.Mesh(n=(1, 1, 1), cell=(2e-9,) * 3)


def _azimuth(m):
    return math.atan2(float(m[1]), float(m[0]))


def test_field_ramp_read_from_params_gives_the_analytic_larmor_phase():
    # alpha = 0, H = h0 (1 + t/tau) z: dm/dt = -gamma m x H turns m counter-clockwise about
    # z with phase phi(t) = gamma h0 (t + t^2 / (2 tau)), m_z fixed
    h0, tau, T = 5e4, 0.2e-9, 0.1e-9
    s = pm.System(ONE_CELL, material={"Ms": 8e5, "alpha": 0.0},
                  terms=[pm.Zeeman(H=lambda t, h0, tau: (0, 0, h0 * (1 + t / tau)))], m=(1, 0, 1),
                  params={"h0": h0, "tau": tau})
    s.run(T, tol=1e-9, progress=False)
    expected = GAMMA * h0 * (T + T * T / (2 * tau))
    # the adaptive steps keep the per-step error below 1e-9: the phase to ~1e-7 rad
    assert abs(math.remainder(_azimuth(s.m[:, 0, 0, 0]) - expected, 2 * math.pi)) < 1e-6
    assert float(s.m[2, 0, 0, 0]) == pytest.approx(1 / math.sqrt(2), abs=1e-8)


def test_time_dependent_anisotropy_is_evaluated_at_each_stage():
    # uniaxial anisotropy along z, Ku(t) = K0 (1 + t/tau), alpha = 0: the field
    # 2 Ku mz/(mu0 Ms) z turns m about z by phi = gamma 2 mz/(mu0 Ms) * K0 (T + T^2/(2 tau))
    K0, tau, T, Ms = 2e5, 0.1e-9, 0.05e-9, 8e5
    s = pm.System(ONE_CELL, material={"Ms": Ms, "alpha": 0.0, "Ku_axis": (0, 0, 1),
                                      "Ku": lambda t, K0: K0 * (1 + t / tau)},
                  terms=[pm.UniaxialAnisotropy()], m=(1, 0, 1))
    s.params.K0 = K0
    s.run(T, tol=1e-9, progress=False)
    mz = 1 / math.sqrt(2)
    expected = GAMMA * 2 * mz / (mu0 * Ms) * K0 * (T + T * T / (2 * tau))
    assert abs(math.remainder(_azimuth(s.m[:, 0, 0, 0]) - expected, 2 * math.pi)) < 1e-6


def test_material_value_reads_other_keys_and_params():
    # Ku = k mu0 Ms^2 / 2 with k = 0.5: the anisotropy energy density of m along the easy
    # axis is -Ku (pymag's zero: E = -Ku (m.u)^2)
    Ms = 6e5
    s = pm.System(ONE_CELL, material={"Ms": Ms, "Ku_axis": (0, 0, 1), "Ku": lambda Ms, k: k * mu0 * Ms**2 / 2},
                  terms=[pm.UniaxialAnisotropy()], m=(0, 0, 1), params={"k": 0.5})
    assert float(s.energy_density()) == pytest.approx(-0.5 * mu0 * Ms**2 / 2, rel=1e-14)


def test_a_parameter_may_depend_on_another():
    # NeuralMag's dynamic attributes: b = 2 a, d = b + c -> d = 7 for a = 1, c = 5
    s = pm.System(ONE_CELL, material={"Ms": 1e6}, terms=[pm.Zeeman(H=lambda d: (d, 0, 0))], m=(1, 0, 0))
    s.params.update(a=1.0, b=lambda a: 2.0 * a, c=5.0, d=lambda b, c: b + c)
    assert float(s.field("zeeman")[0, 0, 0, 0]) == 7.0


def test_changing_a_parameter_changes_the_field():
    s = pm.System(ONE_CELL, material={"Ms": 1e6}, terms=[pm.Zeeman(H=lambda h: (h, 0, 0))], params={"h": 1.0})
    s.field()
    s.params.h = 3.0
    assert float(s.field()[0, 0, 0, 0]) == 3.0


def test_unknown_argument_name_is_named_before_any_step():
    s = pm.System(ONE_CELL, material={"Ms": 1e6, "alpha": 0.1},
                  terms=[pm.Zeeman(H=lambda t, amplitude: (amplitude, 0, 0))])
    with pytest.raises(pm.PymagError, match="'amplitude'"):
        s.run(1e-12, progress=False)


def test_parameter_cycle_is_named():
    s = pm.System(ONE_CELL, material={"Ms": 1e6}, terms=[pm.Zeeman(H=(1, 0, 0))])
    s.params.update(a=lambda b: b, b=lambda a: a)
    with pytest.raises(pm.PymagError, match="cycle: a -> b -> a"):
        s.field()


def test_material_cycle_is_named():
    s = pm.System(ONE_CELL, material={"Ms": 1e6, "Ku": lambda Kc: Kc, "Kc": lambda Ku: Ku, "Ku_axis": (0, 0, 1)},
                  terms=[pm.UniaxialAnisotropy()])
    with pytest.raises(pm.PymagError, match="cycle"):
        s.field()


def test_params_are_named_like_python_variables():
    s = pm.System(ONE_CELL, material={"Ms": 1e6})
    with pytest.raises(pm.PymagError, match="'t'"):
        s.params.t = 1.0
    with pytest.raises(pm.PymagError, match="identifier"):
        s.params.update({"2x": 1.0})


def test_ms_cannot_depend_on_time():
    s = pm.System(ONE_CELL, material={"Ms": lambda t: 1e6 + 0 * t})
    with pytest.raises(pm.MaterialError, match="Ms cannot depend on time"):
        s.m


def test_params_print_their_values():
    s = pm.System(ONE_CELL, material={"Ms": 1e6}, params={"h0": 2e4})
    s.params.f = lambda h0: h0
    assert repr(s.params) == "Params(h0=20000.0, f=<<lambda>(h0)>)"


def test_regions_are_objects_painted_in_order():
    # two regions of a 4-cell row: the second overrides the first where they overlap
    mesh = pm.Mesh(n=(4, 1, 1), cell=(1e-9,) * 3)
    left = pm.Region(pm.Cuboid(size=(2e-9, 1e-9, 1e-9)).translate(-1e-9, 0, 0), {"Ms": 2e5}, "left")
    right = pm.Region(pm.Cuboid(size=(3e-9, 1e-9, 1e-9)).translate(0.5e-9, 0, 0), {"Ms": 3e5}, "right")
    s = pm.System(mesh, material={"Ms": 1e5}, regions=[left, right])
    np.testing.assert_array_equal(s.Ms.flatten().numpy(), [2e5, 3e5, 3e5, 3e5])
    assert s.regions == [left, right]
    assert "left" in repr(left)
    with pytest.raises(pm.PymagError, match="immutable"):
        left.name = "other"


def test_one_term_serves_two_systems():
    # a term object is a description: each system sets up its own copy
    exchange = pm.Exchange()
    a = pm.System(pm.Mesh(n=(4, 1, 1), cell=(1e-9,) * 3), material={"Ms": 1e6, "A": 1e-11}, terms=[exchange],
                  m=lambda x, y, z: (np.cos(1e8 * x), np.sin(1e8 * x), 0 * x))
    b = pm.System(pm.Mesh(n=(6, 1, 1), cell=(1e-9,) * 3), material={"Ms": 1e6, "A": 2e-11}, terms=[exchange],
                  m=lambda x, y, z: (np.cos(1e8 * x), np.sin(1e8 * x), 0 * x))
    ea, eb = a.energy(), b.energy()
    # bond energy V A |m_j - m_i|^2 / d^2 with |m_j - m_i| = 2 sin(k d / 2), k d = 0.1
    bond = 1e-27 * 4 * math.sin(0.05) ** 2 / 1e-18
    assert ea == pytest.approx(3 * 1e-11 * bond, rel=1e-12)
    assert eb == pytest.approx(5 * 2e-11 * bond, rel=1e-12)
    assert a.term("exchange") is not b.term("exchange") and exchange == pm.Exchange()


def test_a_term_added_to_a_system_cannot_change():
    zeeman = pm.Zeeman(H=(1e3, 0, 0))
    s = pm.System(ONE_CELL, material={"Ms": 1e6}, terms=[zeeman])
    with pytest.raises(pm.PymagError, match="cannot change"):
        zeeman.set(H=(2e3, 0, 0))
    s.term("zeeman").set(H=(2e3, 0, 0))     # the system's own copy may
    assert float(s.field()[0, 0, 0, 0]) == 2e3


def test_energy_density_sums_to_the_energy():
    mesh = pm.Mesh(n=(6, 5, 2), cell=(2e-9, 2e-9, 3e-9))
    s = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "Ku": 1e5, "Ku_axis": (0, 0, 1)},
                  terms=[pm.Exchange(), pm.Demag(), pm.UniaxialAnisotropy(), pm.Zeeman(H=(1e4, 0, 0))],
                  m=pm.init.random(seed=3))
    for name, energy in s.energies().items():
        density = s.energy_density(name)
        assert density.shape == mesh.n
        assert float(density.sum()) * mesh.cell_volume == pytest.approx(energy, rel=1e-12)


def test_energy_density_is_written_to_ovf_and_vtk(tmp_path):
    # uniform m along the easy axis: the anisotropy density is -Ku in every magnetic cell
    mesh = pm.Mesh(n=(3, 2, 1), cell=(2e-9,) * 3)
    s = pm.System(mesh, material={"Ms": 8e5, "Ku": 4e5, "Ku_axis": (0, 0, 1)}, terms=[pm.UniaxialAnisotropy()],
                  m=(0, 0, 1))
    s.save(tmp_path / "e.ovf", fmt="binary8", quantity="energy_density:anisotropy")
    np.testing.assert_allclose(pm.io.load_ovf(tmp_path / "e.ovf").array, -4e5, rtol=1e-15)
    s.save(tmp_path / "s.vti")
    assert b"energy_density" in (tmp_path / "s.vti").read_bytes()
    with pytest.raises(pm.PymagError, match="quantity"):
        s.save(tmp_path / "x.ovf", quantity="torque")
