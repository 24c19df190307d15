"""Hysteresis driver: Stoner-Wohlfarth switching, branch metrics, sweep bookkeeping, resume."""
import numpy as np
import pytest

import pymag as pm
from pymag.drivers import hysteresis as hyst
from pymag.units import mu0

MS, K = 8e5, 5e4
HK = 2 * K / (mu0 * MS)  # anisotropy field (A/m)


def particle(psi_deg, terms=()):
    """A single-domain particle: one 2 nm cell with uniaxial anisotropy along x, m along the
    field direction at ``psi_deg`` from the easy axis."""
    psi = np.radians(psi_deg)
    u = (np.cos(psi), np.sin(psi), 0.0)
    system = pm.System(pm.Mesh(n=(1, 1, 1), cell=(2e-9,) * 3),
                       material={"Ms": MS, "Ku": K, "Ku_axis": (1, 0, 0)},
                       terms=[pm.UniaxialAnisotropy(), *terms], m=u)
    return system, u


def astroid(psi_deg):
    """Stoner-Wohlfarth switching field in units of H_K (Stoner & Wohlfarth 1948):
    h_sw = (cos^(2/3) psi + sin^(2/3) psi)^(-3/2)."""
    psi = np.radians(psi_deg)
    return (np.cos(psi) ** (2 / 3) + np.sin(psi) ** (2 / 3)) ** -1.5


@pytest.mark.parametrize("psi_deg", [10, 30, 60])
def test_stoner_wohlfarth_switching_field(psi_deg):
    # the metastable branch must survive until -h_sw H_K and jump right after it; steps of
    # 0.002 H_K around the astroid value bracket the jump
    system, u = particle(psi_deg)
    h = astroid(psi_deg)
    res = system.hysteresis([(1.2 * HK, 0.0, 6), (0.0, -(h - 0.02) * HK, 10), (-(h - 0.02) * HK, -(h + 0.02) * HK, 20)],
                            direction=u, progress=False)
    jump = int(np.argmax(np.abs(np.diff(res.M))))
    assert -res.H[jump] / HK <= h <= -res.H[jump + 1] / HK
    assert res.M[jump + 1] < 0  # it switched to the reversed minimum
    assert res.remanence == pytest.approx(np.cos(np.radians(psi_deg)), abs=1e-6)  # m on the easy axis at H = 0


def test_stoner_wohlfarth_coercivity_beyond_45_degrees():
    # above 45 degrees M.u crosses zero before switching, at h_c = sin(2 psi)/2 (in H_K)
    system, u = particle(60)
    res = system.hysteresis([(1.2 * HK, -0.40 * HK, 20), (-0.40 * HK, -0.46 * HK, 60)], direction=u,
                            progress=False)
    assert res.coercivity / HK == pytest.approx(np.sin(np.radians(120)) / 2, abs=2e-3)


def test_returning_sweep_gives_both_branches():
    # at 30 degrees the loop is symmetric: Mr = +-cos(psi), Hc = h_sw H_K on both branches
    system, u = particle(30)
    res = system.hysteresis([(1.2 * HK, -1.2 * HK, 240), (-1.2 * HK, 1.2 * HK, 240)], direction=u,
                            progress=False)
    assert len(res.branches()) == 2
    down, up = res.remanence
    assert down == pytest.approx(np.cos(np.radians(30)), abs=1e-6)
    assert up == pytest.approx(-np.cos(np.radians(30)), abs=1e-6)
    for hc in res.coercivity:
        assert hc / HK == pytest.approx(astroid(30), abs=0.011)  # field steps are 0.01 H_K


def test_sweep_adds_to_the_systems_own_field():
    # a bias H_b along the sweep direction shifts the loop: switching at -(h_sw H_K + H_b)
    bias = 0.1 * HK
    psi = np.radians(30)
    system, u = particle(30, terms=[pm.Zeeman(H=bias * np.array([np.cos(psi), np.sin(psi), 0]))])
    res = system.hysteresis([(1.0 * HK, -1.0 * HK, 200)], direction=u, progress=False)
    assert res.coercivity / HK == pytest.approx(astroid(30) + 0.1, abs=0.011)
    assert [t.name for t in system.terms] == ["anisotropy", "zeeman"]  # the sweep field is gone


def test_segments_share_endpoints_once():
    values = hyst.sweep_values([(10.0, 0.0, 5), (0.0, -10.0, 5), (-10.0, 10.0, 4)])
    assert values.tolist() == [10, 8, 6, 4, 2, 0, -2, -4, -6, -8, -10, -5, 0, 5, 10]


@pytest.mark.parametrize("bad", [[], [np.nan], [(1.0, 0.0, 0)], [(1.0, 0.0, 2.5)]])
def test_bad_sweep_is_refused(bad):
    system, u = particle(30)
    with pytest.raises(pm.PymagError):
        system.hysteresis(bad, direction=u)


def test_bad_direction_and_method_are_refused():
    system, _ = particle(30)
    with pytest.raises(pm.PymagError, match="direction"):
        system.hysteresis([1.0, 0.0], direction=(0, 0, 0))
    with pytest.raises(pm.PymagError, match="method"):
        system.hysteresis([1.0, 0.0], method="newton")


def test_record_keeps_every_state_and_outputs_are_written(tmp_path):
    system, u = particle(30)
    res = system.hysteresis(np.linspace(HK, -HK, 11), direction=u, record=True, progress=False)
    assert len(res.states) == 11 and res.states[0].shape == (3, 1, 1, 1)
    assert res.states[-1][:, 0, 0, 0] @ np.asarray(u) == pytest.approx(res.M[-1], abs=1e-6)
    res.plot(tmp_path / "mh.png", unit="Oe")
    res.to_csv(tmp_path / "mh.csv")
    table = pm.Table.from_csv(tmp_path / "mh.csv")
    assert np.allclose(table["H"], res.H) and np.allclose(table["M"], res.M)
    assert (tmp_path / "mh.png").stat().st_size > 10_000


def test_interrupted_sweep_resumes_from_its_autosave(tmp_path, monkeypatch):
    fields = np.linspace(1.2 * HK, -1.2 * HK, 25)
    full, u = particle(30)
    expected = full.hysteresis(fields, direction=u, progress=False)

    calls = {"n": 0}
    settle = hyst.SETTLE["minimize"]

    def crash_at_ten(system, **options):
        calls["n"] += 1
        if calls["n"] == 10:
            raise KeyboardInterrupt
        return settle(system, **options)

    monkeypatch.setitem(hyst.SETTLE, "minimize", crash_at_ten)
    first, _ = particle(30)
    with pytest.raises(KeyboardInterrupt):
        first.hysteresis(fields, direction=u, autosave=tmp_path / "sweep.ckpt", progress=False)
    monkeypatch.setitem(hyst.SETTLE, "minimize", settle)

    again, _ = particle(30)
    again.load_state(tmp_path / "sweep.ckpt")
    res = again.hysteresis(fields, direction=u, autosave=tmp_path / "sweep.ckpt", progress=False)
    assert np.allclose(res.M, expected.M, atol=1e-9) and len(res.H) == len(fields)


def test_relax_settles_the_same_switching_field():
    # damping-only LLG instead of energy descent: the same astroid value within the step
    system, u = particle(30)
    h = astroid(30)
    res = system.hysteresis([(1.2 * HK, -(h - 0.01) * HK, 10), (-(h - 0.01) * HK, -(h + 0.01) * HK, 10)],
                            direction=u, method="relax", progress=False)
    jump = int(np.argmax(np.abs(np.diff(res.M))))
    assert -res.H[jump] / HK <= h <= -res.H[jump + 1] / HK


def test_record_to_a_folder_writes_one_ovf_per_field(tmp_path):
    system, u = particle(30)
    res = system.hysteresis(np.linspace(HK, -HK, 5), direction=u, record=tmp_path / "states", progress=False)
    files = sorted((tmp_path / "states").glob("m*.ovf"))
    assert [f.name for f in files] == [f"m{i:06d}.ovf" for i in range(5)] and res.states is None
    last = pm.io.load_ovf(files[-1]).array[:, 0, 0, 0]
    assert float(last @ np.asarray(u)) == pytest.approx(res.M[-1], abs=1e-6)  # float32 file


def test_noisy_saturated_start_is_reproducible_and_breaks_the_films_mirror_symmetry():
    # a sweep's start (1, 0.05, 0) plus Gaussian noise of rms 0.02 per component: unit vectors,
    # the same for the same seed, and no longer its own mirror image across the field axis
    mesh = pm.Mesh(n=(16, 16, 2), cell=(3e-9,) * 3)
    m = pm.init.uniform((1, 0.05, 0), noise=0.02, seed=3)(mesh)
    assert np.allclose(np.linalg.norm(m, axis=0), 1.0)
    assert np.array_equal(m, pm.init.uniform((1, 0.05, 0), noise=0.02, seed=3)(mesh))
    assert not np.allclose(m, pm.init.uniform((1, 0.05, 0), noise=0.02, seed=4)(mesh))
    spread = (m - np.array([1, 0.05, 0]).reshape(3, 1, 1, 1) / np.hypot(1, 0.05))[1:].std()
    assert spread == pytest.approx(0.02, rel=0.1)  # 1024 samples: the rms is known to ~2 %
    mirrored = m[:, :, ::-1] * np.array([1, -1, 1]).reshape(3, 1, 1, 1)
    assert np.abs(m - mirrored).max() > 0.01
    with pytest.raises(pm.PymagError, match="noise"):
        pm.init.uniform((0, 0, 0), noise=0.02)
    with pytest.raises(pm.PymagError, match="noise"):
        pm.init.uniform((1, 0, 0), noise=-0.1)


def test_sweep_noise_lets_a_state_leave_a_saddle_at_the_astroid_field():
    # field along the easy axis (psi = 0): past -H_K the state m = +x is a saddle with exactly
    # zero torque, so an unperturbed sweep never leaves it; kicked at each field it switches
    # right after the Stoner-Wohlfarth field h_sw(0) = 1 H_K
    system, u = particle(0)
    res = system.hysteresis([(1.2 * HK, -1.2 * HK, 240)], direction=u, progress=False)
    assert res.M.min() == pytest.approx(1.0)
    system, u = particle(0)
    res = system.hysteresis([(1.2 * HK, -1.2 * HK, 240)], direction=u, progress=False, noise=np.float32(1e-2), seed=0)
    jump = int(np.argmax(np.abs(np.diff(res.M))))
    assert -res.H[jump] / HK <= 1.0 <= -res.H[jump + 1] / HK and res.M[-1] == pytest.approx(-1.0)
    # a film's empty cells stay empty under the kicks
    disk = pm.System(pm.Mesh(n=(8, 8, 1), cell=(3e-9,) * 3), geometry=pm.Ellipse((20e-9, 20e-9)), material={"Ms": MS, "A": 1e-11},
                     terms=[pm.Exchange()], m=(1, 0, 0))
    hyst._shake(disk, 0.1, np.random.default_rng(0))
    m = disk.m.numpy()
    assert np.allclose(np.linalg.norm(m, axis=0)[disk.magnet.numpy()], 1.0) and not m[:, ~disk.magnet.numpy()].any()
    with pytest.raises(pm.PymagError, match="noise"):
        system.hysteresis([1.0, 0.0], direction=u, noise=-1.0)
    with pytest.raises(pm.PymagError, match="seed"):
        system.hysteresis([1.0, 0.0], direction=u, noise=0.01, seed=-3)
