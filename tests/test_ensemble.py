"""pm.Ensemble: systems on one mesh with different shapes, materials, fields and states run as one tensor."""
import numpy as np
import pytest
import torch

import pymag as pm

MESH = pm.Mesh(n=(24, 20, 2), cell=(3e-9, 3e-9, 3e-9))


def films(count=3, dtype="float64"):
    out = []
    for i in range(count):
        geometry = None if i == 0 else pm.geometry.random_polygon(12, size=(40e-9, 60e-9), seed=i,
                                                                   domain=(72e-9, 60e-9))
        material = {"Ms": 6e5 + 2e5 * i, "A": 5e-12 * (1 + 0.2 * i), "alpha": 0.2 + 0.3 * i,
                    "Ku": 1e4 * i, "Ku_axis": (1, 0, 0)}
        terms = [pm.Exchange(), pm.Demag(), pm.UniaxialAnisotropy(), pm.Zeeman(H=(2e4 * i, 5e3, 1e3 * i))]
        out.append(pm.System(MESH, geometry=geometry, material=material, terms=terms,
                             m=pm.init.random_blocks(2, seed=i), dtype=dtype))
    return out


def test_batched_field_and_energies_equal_each_systems_own():
    systems = films()
    ens = pm.Ensemble(systems)
    m = ens.m
    H = ens.total_field(m, 0.0)
    for i, s in enumerate(systems):
        assert torch.allclose(H[i], s.total_field(s.m, 0.0), rtol=1e-12, atol=1e-9)
    for term in ens._terms:
        batched = term.energy(m)
        single = [float(s.term(term.name).energy(s.m)) for s in systems]
        assert np.allclose(batched.numpy(), single, rtol=1e-12, atol=0)


def test_batched_run_follows_each_systems_own_trajectory():
    # every system keeps its own step sizes, so the batch retraces each lone run (float64
    # round-off apart), samples included, though the stiffest system needs twice the steps
    systems = films(dtype="float64")
    start = [s.m.clone() for s in systems]
    seen = []
    res = pm.Ensemble(systems).run(20e-12, tol=1e-7, at=[3e-12, 11e-12], on_state=lambda t, m: seen.append((t, m.clone())))
    together = [s.m.clone() for s in systems]
    assert [t for t, _ in seen] == [3e-12, 11e-12] and all(s.t == 20e-12 for s in systems)
    steps = []
    for i, (s, m0, m1) in enumerate(zip(systems, start, together)):
        s.m, s.t = m0, 0.0
        table = s.run(20e-12, tol=1e-7, progress=False, save_every=1e-12)
        steps.append(table.steps)
        assert float((s.m - m1).abs().max()) < 1e-12
        row = [r for r in table.rows() if abs(r["t"] - 11e-12) < 1e-20][0]
        assert np.allclose(s.average(seen[1][1][i]), [row["mx"], row["my"], row["mz"]], rtol=0, atol=1e-12)
    assert res.steps == max(steps) and min(steps) < 0.7 * max(steps)


def test_time_dependent_terms_follow_each_systems_own_clock():
    # a field pulse and a current pulse, different in each system (named parameters): every
    # system steps on its own clock, so the batch retraces each lone run to float64 round-off
    def pulsed(f):
        mesh = pm.Mesh(n=(8, 4, 1), cell=(3e-9, 3e-9, 3e-9))
        terms = [pm.Exchange(), pm.Zeeman(H=lambda t, f: (0, 2e4 * torch.sin(2 * torch.pi * f * t), 0)),
                 pm.Slonczewski(j=lambda t, f: 1e11 * torch.cos(2 * torch.pi * f * t), p=(0, 0, 1), P=0.4)]
        return pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.05}, terms=terms,
                         m=(1, 0.2, 0.1), params={"f": f})

    together = [pulsed(f) for f in (5e9, 11e9)]
    pm.Ensemble(together).run(200e-12, tol=1e-7)
    for system, f in zip(together, (5e9, 11e9)):
        alone = pulsed(f)
        alone.run(200e-12, tol=1e-7, progress=False)
        assert float((alone.m - system.m).abs().max()) < 1e-12


def test_systems_at_different_times_keep_their_own_clocks():
    # a field switched on at 0.5 ns: a system that starts at 1 ns feels it from the start,
    # one that starts at 0 does not, in the batch as alone; each ends at its own time
    def spin(t0):
        s = pm.System(pm.Mesh(n=(1, 1, 1), cell=(2e-9,) * 3), material={"Ms": 8e5, "alpha": 0.1}, m=(0, 1, 0),
                      terms=[pm.Zeeman(H=lambda t: (0, 0, 1e5 * float(t > 0.5e-9))), pm.Zeeman(H=(1e5, 0, 0))])
        s.t = t0
        return s

    early, late = spin(0.0), spin(1e-9)
    pm.Ensemble([early, late]).run(0.2e-9)
    assert (early.t, late.t) == pytest.approx((0.2e-9, 1.2e-9), rel=1e-12)
    for system, t0 in ((early, 0.0), (late, 1e-9)):
        alone = spin(t0)
        alone.run(0.2e-9, progress=False)
        assert float((alone.m - system.m).abs().max()) < 1e-9


def test_relax_and_minimize_evaluate_the_terms_at_each_systems_time():
    # the field points to -z before 0.5 ns and to +z after: relaxed at 1 ns, m ends along +z
    def spin(t0):
        s = pm.System(pm.Mesh(n=(1, 1, 1), cell=(2e-9,) * 3), material={"Ms": 8e5, "alpha": 0.1}, m=(1, 0, 0.01),
                      terms=[pm.Zeeman(H=lambda t: (0, 0, 1e5 if t > 0.5e-9 else -1e5))])
        s.t = t0
        return s

    for driver in ("relax", "minimize"):
        early, late = spin(0.0), spin(1e-9)
        getattr(pm.Ensemble([early, late]), driver)()
        lone = spin(1e-9)
        getattr(lone, driver)()
        assert float(early.m[2]) < -0.999 and float(late.m[2]) > 0.999 and float(lone.m[2]) > 0.999


def test_until_freezes_the_systems_that_are_done():
    systems = films()
    ens = pm.Ensemble(systems)
    before = ens.m.clone()
    seen = []
    res = ens.run(10e-12, until=lambda m, H: np.array([True, False, False]), check_every=1,
                  at=[0.0, 5e-12], on_state=lambda t, m: seen.append(t))
    assert res.done.tolist() == [True, False, False] and res.t_done[0] > 0
    after = ens.m
    assert not torch.equal(after[1], before[1])
    assert seen == [0.0, 5e-12]
    # system 0 moved only during the first step, before it was frozen
    fresh = films()
    pm.Ensemble(fresh).run(res.t_done[0])
    assert torch.allclose(after[0], fresh[0].m, rtol=0, atol=1e-12)
    assert not torch.allclose(after[0], before[0], rtol=0, atol=1e-6)


def test_an_interrupted_ensemble_run_goes_on_from_its_autosave(tmp_path):
    path = tmp_path / "run.ckpt"

    def until(stop_at=None):
        """System 0 meets the condition at the 3rd check, the others run to the end;
        the ``stop_at``-th check is interrupted."""
        calls = []

        def check(m, H):
            calls.append(1)
            if len(calls) == stop_at:
                raise KeyboardInterrupt
            return np.array([len(calls) >= 3, False, False])
        return check

    whole = pm.Ensemble(films())
    expected = whole.run(10e-12, tol=1e-6, until=until(), check_every=2)
    with pytest.raises(KeyboardInterrupt):
        pm.Ensemble(films()).run(10e-12, tol=1e-6, until=until(6), check_every=2, autosave=path, autosave_every=3)
    again = pm.Ensemble(films())
    again.load_state(path)
    assert 0 < min(s.t for s in again.systems) < 10e-12  # it stopped part way
    res = again.run(10e-12, tol=1e-6, until=until(), check_every=2, autosave=path, autosave_every=3)
    assert torch.equal(again.m, whole.m) and [s.t for s in again.systems] == [s.t for s in whole.systems]
    assert (res.steps, res.t, res.done.tolist()) == (expected.steps, expected.t, expected.done.tolist())
    assert np.array_equal(res.t_done, expected.t_done, equal_nan=True)
    finished = pm.Ensemble(films())  # a finished run's checkpoint gives its result without stepping
    finished.load_state(path)
    assert finished.run(10e-12, tol=1e-6, autosave=path).steps == expected.steps and torch.equal(finished.m, whole.m)
    with pytest.raises(pm.PymagError, match="no sample times"):
        finished.run(1e-12, at=[0.5e-12], on_state=print, autosave=path)


def test_switching_the_demag_provider_keeps_the_state():
    system = films(1)[0]
    m = system.m.clone()
    system.set_demag("fft")
    assert torch.equal(system.m, m)
    with pytest.raises(pm.PymagError, match="unknown|registered|no demag"):
        system.set_demag("nonsense")
    systems = films(2)
    ens = pm.Ensemble(systems)
    H = ens.total_field(ens.m, 0.0)
    ens.set_demag("fft")
    assert torch.allclose(ens.total_field(ens.m, 0.0), H, rtol=1e-12, atol=1e-9)
    assert ens._terms[1].provider is systems[0].term("demag").provider   # stacked again after the switch
    bare = pm.System(MESH, material={"Ms": 1e6}, m=(1, 0, 0))
    with pytest.raises(pm.PymagError, match="no pm.Demag"):
        bare.set_demag("fft")


def test_ensembles_refuse_what_cannot_be_batched():
    a = films(1)[0]
    other_mesh = pm.System(pm.Mesh(n=(8, 8, 2), cell=(3e-9,) * 3), material={"Ms": 1e6}, terms=[pm.Demag()])
    with pytest.raises(pm.PymagError, match="one mesh"):
        pm.Ensemble([a, other_mesh])
    fewer = pm.System(MESH, material={"Ms": 1e6, "A": 1e-11}, terms=[pm.Exchange()])
    with pytest.raises(pm.PymagError, match="same terms"):
        pm.Ensemble([a, fewer])
    with pytest.raises(pm.PymagError, match="non-empty"):
        pm.Ensemble([])
    two = pm.Ensemble(films(2))
    with pytest.raises(pm.PymagError, match="on_state"):
        two.run(1e-12, at=[0.5e-12])
    with pytest.raises(pm.PymagError, match="one bool per system"):
        two.run(1e-12, until=lambda m, H: True, check_every=1)


def test_terms_keep_their_description_and_equality():
    assert repr(pm.Zeeman(H=(1.0, 0, 0))) == "Zeeman(H=(1.0, 0.0, 0.0))"
    assert pm.Demag(method="fft") == pm.Demag() and pm.Demag() != pm.Exchange()
    assert "Exchange()" in repr(films(1)[0])


def test_batched_minimize_settles_each_system_as_alone():
    # each system keeps its own Barzilai-Borwein steps and stopping: the same steps and
    # states as alone
    alone = films()
    steps = [s.minimize() for s in alone]
    together = films()
    assert pm.Ensemble(together).minimize().tolist() == steps
    for a, b in zip(alone, together):
        assert float((a.m - b.m).abs().max()) < 1e-12
    # too few steps: the error says which systems stopped, and when
    short = films()
    limit = sorted(steps)[len(steps) // 2]
    with pytest.raises(pm.ConvergenceError) as info:
        pm.Ensemble(short).minimize(max_steps=limit)
    assert info.value.steps.tolist() == [n if n <= limit else 0 for n in steps]


def test_batched_relax_takes_each_systems_own_steps():
    # every system keeps its own Bogacki-Shampine steps, tolerance and phases, so it relaxes
    # about as it would alone (the films need 1749 and 2283 steps). The checks come together
    # for the batch, a step later for a system whose step was rejected in between, and the
    # decisions taken at rounding level ("the energy stopped falling") can move a check,
    # since batched transforms round differently: the steps agree to a few percent
    # (measured 1.1 %), the states to the relaxation's precision (measured 2e-7).
    alone = films(2)
    steps = [s.relax() for s in alone]
    together = films(2)
    assert np.allclose(pm.Ensemble(together).relax(), steps, rtol=0.05, atol=0)
    for a, b in zip(alone, together):
        assert float((a.m - b.m).abs().max()) < 1e-5
        assert b.energy() == pytest.approx(a.energy(), rel=1e-9)


def _particles(angles):
    """One-cell Stoner-Wohlfarth particles with easy axes at ``angles`` (degrees) from x."""
    out = []
    for psi in np.radians(angles):
        axis = (np.cos(psi), np.sin(psi), 0.0)
        out.append(pm.System(pm.Mesh(n=(1, 1, 1), cell=(2e-9,) * 3),
                             material={"Ms": 8e5, "Ku": 5e4, "Ku_axis": axis},
                             terms=[pm.UniaxialAnisotropy()], m=(1, 0, 0)))
    return out


@pytest.mark.parametrize("method", ["minimize", "relax"])
def test_ensemble_hysteresis_gives_each_particle_its_astroid_switching_field(method):
    # Stoner & Wohlfarth (1948): at angle psi between field and easy axis the particle
    # switches at h_sw = (cos^(2/3) psi + sin^(2/3) psi)^(-3/2) H_K, H_K = 2 K / (mu0 Ms)
    angles = [10, 30, 45]
    HK = 2 * 5e4 / (pm.units.mu0 * 8e5)
    results = pm.Ensemble(_particles(angles)).hysteresis([(1.2 * HK, -1.2 * HK, 240)], method=method,
                                                          progress=False)
    for psi, res in zip(np.radians(angles), results):
        h = (np.cos(psi) ** (2 / 3) + np.sin(psi) ** (2 / 3)) ** -1.5
        jump = int(np.argmax(np.abs(np.diff(res.M))))
        assert -res.H[jump] / HK <= h + 1e-9 and h <= -res.H[jump + 1] / HK + 0.01
        assert res.remanence == pytest.approx(np.cos(psi), abs=1e-5)


def test_interrupted_ensemble_sweep_resumes_from_its_autosave(tmp_path, monkeypatch):
    from pymag.drivers import hysteresis as hyst
    fields = np.linspace(1.5e5, -1.5e5, 16)
    expected = pm.Ensemble(_particles([20, 50])).hysteresis(fields, progress=False, record=True)
    settle, calls = hyst.SETTLE["minimize"], {"n": 0}

    def crash_at_six(target, **options):
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt
        return settle(target, **options)

    monkeypatch.setitem(hyst.SETTLE, "minimize", crash_at_six)
    with pytest.raises(KeyboardInterrupt):
        pm.Ensemble(_particles([20, 50])).hysteresis(fields, autosave=tmp_path / "s.ckpt", progress=False,
                                                     record=True)
    monkeypatch.setitem(hyst.SETTLE, "minimize", settle)
    again = pm.Ensemble(_particles([20, 50]))
    again.load_state(tmp_path / "s.ckpt")
    results = again.hysteresis(fields, autosave=tmp_path / "s.ckpt", progress=False, record=True)
    for res, ref in zip(results, expected):
        assert np.allclose(res.M, ref.M, atol=1e-9) and len(res.states) == len(fields)
    with pytest.raises(pm.PymagError, match="3 on"):
        pm.Ensemble(_particles([1, 2, 3])).load_state(tmp_path / "s.ckpt")
