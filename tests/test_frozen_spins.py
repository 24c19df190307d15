"""Frozen cells (``system.fix``, mumax3's FrozenSpins): dm/dt = 0 there in every driver.

Reference: a wire with exchange only, its two end cells frozen at 0 and 90 degrees in the plane.
The discrete exchange energy -sum cos(theta_{i+1} - theta_i) with both ends fixed is smallest
when the angle grows by equal steps, so the relaxed state turns linearly, 90/(n-1) degrees per
cell (the continuum twist theta(x) = (pi/2) x/L, exact on the grid too).
"""
import numpy as np
import pytest
import torch

import pymag as pm
from pymag.units import nm, ns

N = 20


def twisted_wire(dtype="float64"):
    mesh = pm.Mesh(n=(N, 1, 1), cell=(1 * nm, 1 * nm, 1 * nm))
    end = pm.Cuboid(size=(1 * nm, 1 * nm, 1 * nm))
    system = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.5}, terms=[pm.Exchange()],
                       dtype=dtype)
    system.add_region(end.translate(-(N - 1) / 2 * nm, 0, 0), {}, "left")
    system.add_region(end.translate((N - 1) / 2 * nm, 0, 0), {}, "right")
    m0 = np.zeros((3, N, 1, 1))
    m0[0] = 1.0
    m0[:, -1, 0, 0] = (0.0, 1.0, 0.0)
    m0[1, 1:-1] = 0.01  # a nudge off the unstable start
    system.m = m0
    system.fix("left", "right")
    return system


def angles(system):
    m = system.m.double().numpy()[:, :, 0, 0]
    return np.degrees(np.arctan2(m[1], m[0]))


@pytest.mark.parametrize("driver", ["minimize", "relax"])
def test_twisted_wire_turns_linearly(driver, dtype):
    system = twisted_wire(dtype)
    getattr(system, driver)()
    expected = np.linspace(0.0, 90.0, N)
    # minimize stops when no cell moves by more than 1e-6 per step and relax when the torque is
    # ~1e-6 Ms: the angles are then settled to ~1e-4 degrees; float32 rounding of m (6e-8) is below
    np.testing.assert_allclose(angles(system), expected, atol=2e-3)


def test_frozen_cells_do_not_move_in_a_run():
    system = twisted_wire()
    system.add(pm.Zeeman(B=(0, 0, 0.5)))
    before = system.m.clone()
    for method in ("rk45", "rk4", "heun"):
        system.run(0.02 * ns, method=method, dt=None if method == "rk45" else 2e-15, progress=False)
    after = system.m
    # frozen cells keep their state bit for bit; the others precess about the 0.5 T field
    assert torch.equal(after[:, 0], before[:, 0]) and torch.equal(after[:, -1], before[:, -1])
    assert float((after[2, 1:-1] - before[2, 1:-1]).abs().max()) > 1e-2


def test_frozen_cells_in_an_ensemble():
    frozen, loose = twisted_wire(), twisted_wire()
    loose.unfix()
    ensemble = pm.Ensemble([frozen, loose])
    ensemble.minimize()
    np.testing.assert_allclose(angles(frozen), np.linspace(0.0, 90.0, N), atol=2e-3)
    # without frozen ends the exchange-only wire untwists into one uniform direction
    assert np.ptp(angles(loose)) < 1e-2


def test_fix_checks_its_regions():
    system = twisted_wire()
    with pytest.raises(pm.PymagError, match="nowhere"):
        system.fix("nowhere")
    with pytest.raises(pm.PymagError, match="fix"):
        system.fix(3)


def test_torque_stop_conditions_look_at_the_moving_cells_only():
    # the frozen ends of the twisted wire keep a large torque |m x H| (~2e6 A/m) for ever; once
    # the free cells are settled (|m x H| ~ 0.5 A/m after minimize, a few 100 A/m of integration
    # error once a run steps on), a 1e3 A/m max_torque must stop the run and relax at once
    system = twisted_wire()
    system.minimize()
    table = system.run(1e-9, max_torque=1e3, check_every=1, max_steps=50, progress=False)
    assert table.stop_reason == "max_torque" and table.steps == 1
    assert system.relax(max_torque=1e3, check_every=1) == 1


def test_hysteresis_noise_leaves_frozen_cells_alone():
    system = twisted_wire()
    before = system.m.clone()
    system.hysteresis([0.0, 1e3], direction=(0, 0, 1), noise=0.05, seed=1, progress=False)
    assert torch.equal(system.m[:, 0], before[:, 0]) and torch.equal(system.m[:, -1], before[:, -1])
