"""pm.Thermal: Brown's thermal field, checked on the statistics of many independent macrospins.

A mesh of n x n x 1 cells with no exchange and no demag is n^2 independent macrospins of volume
V = cell^3. References: Brown, Phys. Rev. 130, 1677 (1963): free rotational diffusion
<m_z>(t) = exp(-t/tau_D), tau_D = (1+alpha^2) mu0 Ms V / (2 alpha gamma k_B T), and the Boltzmann
distribution p(m) ~ exp(-E(m)/(k_B T)) as the equilibrium of the stochastic LLG equation; for a
uniaxial well E = -K V m_z^2, for a free spin in a field E = -mu0 Ms V H m.h (Langevin).
"""
import math

import numpy as np
import pytest
import torch
from scipy import integrate, stats

import pymag as pm
from pymag.units import gamma0, kB, mu0

T0, CELL, MS = 300.0, 2e-9, 1e6
V = CELL**3


def tau_D(alpha, T=T0):
    """Brown's free-diffusion time (s) of a macrospin of volume V."""
    return (1 + alpha**2) * mu0 * MS * V / (2 * alpha * gamma0 * kB * T)


def macrospins(n, terms, m=(0, 0, 1), dtype="float64", **material):
    """n x n independent macrospins (no exchange, no demag) of Ms = MS, alpha = 1 by default."""
    material = {"Ms": MS, "alpha": 1.0, **material}
    return pm.System(pm.Mesh(n=(n, n, 1), cell=CELL), material=material, terms=terms, m=m, dtype=dtype)


def up_or_down(n, seed):
    """m along +z or -z at random per cell, array (3, n, n, 1)."""
    m = np.zeros((3, n, n, 1))
    m[2] = np.random.default_rng(seed).choice([-1.0, 1.0], size=(n, n, 1))
    return m


def well(n, sigma, dtype="float64", seed=1):
    """Macrospins in a uniaxial well along z of barrier K V = sigma k_B T, at +z or -z."""
    return macrospins(n, [pm.UniaxialAnisotropy(), pm.Thermal(T=T0, seed=seed)], m=up_or_down(n, seed),
                      dtype=dtype, Ku=sigma * kB * T0 / V, Ku_axis=(0, 0, 1))


def sample(system, run, equilibrate, every, count):
    """The states after ``equilibrate`` (s) and then every ``every`` (s), ``count`` of them,
    each a numpy array (3, n, n, 1)."""
    system.run(equilibrate, progress=False, **run)
    out = []
    for _ in range(count):
        system.run(every, progress=False, **run)
        out.append(system.m.double().numpy().copy())
    return np.stack(out)


def boltzmann_well(sigma):
    """CDF of |m_z| and <m_z^2> for p(m_z) ~ exp(sigma m_z^2) on [-1, 1], by numerical
    integration (cumulative trapezoid on 10^5 intervals: error ~ sigma^2 1e-10)."""
    z = np.linspace(0.0, 1.0, 100001)
    weight = np.exp(sigma * (z**2 - 1))
    cumulative = integrate.cumulative_trapezoid(weight, z, initial=0.0)
    mean_z2 = integrate.trapezoid(z**2 * weight, z) / cumulative[-1]
    return (lambda x: np.interp(x, z, cumulative / cumulative[-1])), mean_z2


def langevin(x):
    """<m.h> of a free classical spin, L(x) = coth(x) - 1/x."""
    return 1 / np.tanh(x) - 1 / x


def heun_step(sigma, alpha=1.0):
    """Heun step (s) for a well of barrier sigma k_B T: at most tau_D/100 and 0.1/(gamma H_K);
    the bias of <m_z^2> and of the |m_z| distribution was measured below 0.5 % there (it grows
    in proportion to the step: at twice these steps the KS test at sigma = 10 fails)."""
    H_K = 2 * sigma * kB * T0 / (V * mu0 * MS)
    return min(0.01 * tau_D(alpha), 0.1 / (gamma0 * H_K))


# ----- free diffusion: the noise amplitude and its alpha dependence ---------------------------------
@pytest.mark.parametrize("alpha", [1.0, 0.05])
def test_a_free_spin_diffuses_at_browns_rate(alpha, dtype):
    # Brown (1963): a free spin's <m_z> decays as exp(-t/tau_D); at t = tau_D/2 that is e^-1/2.
    # 96^2 spins: the standard error of the mean is sqrt(<m_z^2> - <m_z>^2)/96 = 0.57 % of the
    # value (<m_z^2> = 1/3 + 2/3 e^-3/2); Heun's bias at dt = tau_D/400 was measured below
    # 0.3 % (it grows in proportion to dt: -6 % at tau_D/25), so 2 % is over 3 standard errors.
    system = macrospins(96, [pm.Thermal(T=T0, seed=11)], dtype=dtype, alpha=alpha)
    system.run(0.5 * tau_D(alpha), method="heun", dt=tau_D(alpha) / 400, progress=False)
    mz = float(system.m[2].double().mean())
    assert mz == pytest.approx(math.exp(-0.5), rel=0.02)


# ----- Boltzmann statistics ----------------------------------------------------------------------------
def check_well(states, sigma):
    """KS test of |m_z| against the Boltzmann CDF and <m_z^2> within 2 % of its exact value.
    |m_z|: p(m_z) is even, and at high barriers the +/- populations keep their initial split."""
    cdf, mean_z2 = boltzmann_well(sigma)
    mz = np.abs(states[:, 2].ravel())
    # samples are taken >= tau_D apart, several correlation times of m_z^2 (<= tau_D/3), so
    # they are close to independent; p > 1e-3 fails a correct sampler once in 1000 seeds
    assert stats.kstest(mz, cdf).pvalue > 1e-3
    assert np.mean(mz**2) == pytest.approx(mean_z2, rel=0.02)


def test_a_uniaxial_well_samples_the_boltzmann_distribution_quick():
    # sigma = K V/(k_B T) = 3, 48^2 spins x 8 samples tau_D apart (about three correlation
    # times of m_z^2): the standard error of <m_z^2> is 0.33 %, Heun's bias at these steps
    # about +0.4 % (measured on 41k samples), the tolerance 2 % (the slow tests below take
    # sigma = 1, 3, 10, more samples and adaptive steps)
    system = well(48, 3.0)
    states = sample(system, {"method": "heun", "dt": heun_step(3.0)}, 2 * tau_D(1.0), tau_D(1.0), 8)
    check_well(states, 3.0)


@pytest.mark.slow
@pytest.mark.parametrize("sigma", [1.0, 3.0, 10.0])
@pytest.mark.parametrize("method", ["heun", "rk23"])
def test_a_uniaxial_well_samples_the_boltzmann_distribution(sigma, method):
    # 64^2 spins x 10 samples 2 tau_D apart after 5 tau_D: 41k samples; standard error of
    # <m_z^2> below 0.3 %, tolerance 2 %. rk23 at tol 1e-3 takes steps of about tau_D/250
    # (the largest per-cell error over 4096 noisy spins sets them) and rejects ~9 % of them;
    # a rejected step keeps its numbers rescaled to the shorter step (as mumax3), a bias
    # measured below 0.5 % here. (rk45 at tol 3e-5 gets <m_z^2> as close, but its KS p-value
    # at sigma = 10 was only 0.04.)
    system = well(64, sigma)
    run = {"method": "heun", "dt": heun_step(sigma)} if method == "heun" else {"method": "rk23", "tol": 1e-3}
    states = sample(system, run, 5 * tau_D(1.0), 2 * tau_D(1.0), 10)
    check_well(states, sigma)


@pytest.mark.slow
def test_a_uniaxial_well_samples_the_boltzmann_distribution_in_float32():
    # the narrowest distribution (sigma = 10) in float32, as the float64 test above
    system = well(64, 10.0, dtype="float32")
    states = sample(system, {"method": "heun", "dt": heun_step(10.0)}, 5 * tau_D(1.0), 2 * tau_D(1.0), 10)
    check_well(states, 10.0)


def test_a_free_spin_in_a_field_follows_the_langevin_function():
    # <m.h> = L(x), x = mu0 Ms V H/(k_B T) = 3. 32^2 spins x 8 samples tau_D apart (the
    # relaxation time in the field is below tau_D): standard error sqrt(1 - 2L/x - L^2)/90 =
    # 0.55 % of L, tolerance 2 %. Steps tau_D/100 (gamma H dt = 0.03)
    x = 3.0
    H = x * kB * T0 / (mu0 * MS * V)
    system = macrospins(32, [pm.Zeeman(H=(H, 0, 0)), pm.Thermal(T=T0, seed=5)], m=(1, 0, 0))
    mh = sample(system, {"method": "heun", "dt": tau_D(1.0) / 100}, 2 * tau_D(1.0), tau_D(1.0), 8)[:, 0]
    assert np.mean(mh) == pytest.approx(langevin(x), rel=0.02)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["heun", "rk23"])
def test_per_cell_temperatures_follow_the_langevin_function(method):
    # a field H along x, T = 300 K on one half (x = 3) and 600 K on the other (x = 1.5):
    # 2048 spins x 20 samples per half, standard errors 0.25 % and 0.55 % of L, tolerance 2 %.
    # Heun steps tau_D(600 K)/100
    n, x = 64, 3.0
    H = x * kB * T0 / (mu0 * MS * V)
    T = np.full((n, n, 1), T0)
    T[n // 2:] = 2 * T0
    system = macrospins(n, [pm.Zeeman(H=(H, 0, 0)), pm.Thermal(T=T, seed=5)], m=(1, 0, 0))
    run = {"method": "heun", "dt": tau_D(1.0, 2 * T0) / 100} if method == "heun" else {"method": "rk23", "tol": 1e-3}
    mh = sample(system, run, 3 * tau_D(1.0), tau_D(1.0), 20)[:, 0]
    assert np.mean(mh[:, :n // 2]) == pytest.approx(langevin(x), rel=0.02)
    assert np.mean(mh[:, n // 2:]) == pytest.approx(langevin(x / 2), rel=0.02)


# ----- streams: reproducible, resumable, per system ------------------------------------------------------
def small(seed=3, dtype="float64", T=T0, alpha=1.0, **material):
    """4 x 3 spins in a uniaxial well (sigma = 3) with a field at an angle."""
    terms = [pm.UniaxialAnisotropy(), pm.Zeeman(H=(2e4, 0, 1e4)), pm.Thermal(T=T, seed=seed)]
    return pm.System(pm.Mesh(n=(4, 3, 1), cell=CELL), terms=terms, m=(0.2, 0.1, 1), dtype=dtype,
                     material={"Ms": MS, "alpha": alpha, "Ku": 3 * kB * T0 / V, "Ku_axis": (0, 0, 1), **material})


RUNS = {"heun": {"method": "heun", "dt": 2e-14}, "rk4": {"method": "rk4", "dt": 2e-14},
        "rk23": {"method": "rk23", "tol": 1e-4}}


@pytest.mark.parametrize("method", sorted(RUNS))
def test_the_same_seed_gives_the_same_trajectory(method, dtype):
    a, b, c = small(3, dtype), small(3, dtype), small(4, dtype)
    for s in (a, b, c):
        s.run(2e-12, progress=False, **RUNS[method])
    assert torch.equal(a.m, b.m)
    assert float((a.m - c.m).abs().max()) > 1e-2


def test_an_unseeded_field_records_the_seed_it_drew():
    a, b = small(None), small(None)
    for s in (a, b):
        s.run(2e-12, progress=False, **RUNS["heun"])
    seed = a.term("thermal").seed
    assert isinstance(seed, int) and seed != b.term("thermal").seed
    again = small(seed)
    again.run(2e-12, progress=False, **RUNS["heun"])
    assert torch.equal(again.m, a.m)


@pytest.mark.parametrize("method", sorted(RUNS))
def test_a_run_resumed_from_its_checkpoint_retraces_the_uninterrupted_one(method, dtype, tmp_path):
    path = tmp_path / "run.ckpt"
    whole = small(3, dtype)
    whole.run(4e-12, progress=False, **RUNS[method])
    cut = small(3, dtype)
    with pytest.raises(pm.PymagError, match="max_steps"):
        cut.run(4e-12, progress=False, autosave=path, autosave_every=4, max_steps=10, **RUNS[method])
    resumed = small(99, dtype)  # the checkpoint brings the seed and the stream
    resumed.load_state(path)
    assert 0 < resumed.t < 4e-12
    resumed.run(4e-12, progress=False, autosave=path, **RUNS[method])
    assert resumed.t == whole.t and torch.equal(resumed.m, whole.m)
    assert resumed.term("thermal").seed == 3


def ensemble_members(dtype="float64"):
    """Four systems with their own seeds, temperatures and damping, one at T = 0."""
    return [small(7, dtype), small(8, dtype, T=100.0, alpha=0.3), small(9, dtype, T=600.0, alpha=0.6),
            small(10, dtype, T=0.0)]


def test_each_system_of_an_ensemble_keeps_its_own_stream(dtype):
    # Ensemble.run steps every system with its own adaptive rk45 step: system j follows the
    # trajectory it follows alone with its seed (float round-off apart: the batch sums in
    # another order)
    together = ensemble_members(dtype)
    pm.Ensemble(together).run(3e-12, tol=1e-4)
    for j, system in enumerate(ensemble_members(dtype)):
        system.run(3e-12, method="rk45", tol=1e-4, progress=False)
        assert torch.allclose(together[j].m, system.m, rtol=0, atol=10 * torch.finfo(system.dtype).eps)


def test_systems_leaving_an_ensemble_leave_the_others_streams_as_they_were():
    # system 0 stops at the first check; the batch of the two others is stacked again and
    # their streams go on
    together = ensemble_members()
    res = pm.Ensemble(together).run(3e-12, tol=1e-4, until=lambda m, H: np.array([True, False, False, False]),
                                    check_every=2)
    assert res.done.tolist() == [True, False, False, False]
    alone = ensemble_members()
    for j in (1, 2, 3):
        alone[j].run(3e-12, method="rk45", tol=1e-4, progress=False)
        assert torch.allclose(together[j].m, alone[j].m, rtol=0, atol=1e-14)


def test_a_time_dependent_temperature_in_an_ensemble_follows_each_lone_run():
    # T(t) is set up at each system's own time; the batch draws what each system draws alone
    def warming(seed):
        return small(seed, T=lambda t: T0 * (1 + 1e11 * t))

    together = [warming(3), warming(4)]
    pm.Ensemble(together).run(3e-12, tol=1e-4)
    for seed, system in zip((3, 4), together):
        alone = warming(seed)
        alone.run(3e-12, method="rk45", tol=1e-4, progress=False)
        assert torch.allclose(system.m, alone.m, rtol=0, atol=1e-14)


def test_a_thermal_term_added_in_place_of_another_starts_its_own_stream():
    replaced = small(1)
    replaced.run(1e-12, progress=False, **RUNS["heun"])
    start = replaced.m.clone()
    replaced.remove("thermal")
    replaced.add(pm.Thermal(T=T0, seed=2))
    replaced.run(1e-12, progress=False, **RUNS["heun"])
    fresh = small(2)
    fresh.m = start
    fresh.t = replaced.t - 1e-12
    fresh.run(1e-12, progress=False, **RUNS["heun"])
    # the same noise from the same state; the state passed through the m setter, which may round
    # its last bit, so equal to round-off (another stream would differ by ~0.1)
    assert replaced.term("thermal").seed == 2 and torch.allclose(replaced.m, fresh.m, rtol=0, atol=1e-12)


def test_the_stream_goes_on_when_the_system_assembles_again():
    # a parameter change rebuilds the system's terms; the noise must continue, not replay the
    # start: a change that leaves the physics as it was must leave the trajectory bit for bit
    def two_runs(reassemble):
        system = small(3, T=lambda bath: bath)
        system.params.bath = T0
        system.run(1e-12, progress=False, **RUNS["heun"])
        if reassemble:
            system.params.bath = T0
        system.run(1e-12, progress=False, **RUNS["heun"])
        return system.m

    assert torch.equal(two_runs(True), two_runs(False))


@pytest.mark.parametrize("stop_check", [
    9,  # checkpoint at step 8, where every system's last step was accepted
    5,  # checkpoint at step 4, where one system's step was rejected: it keeps its numbers on resume
])
def test_an_interrupted_ensemble_run_resumes_its_streams(stop_check, tmp_path):
    path = tmp_path / "ens.ckpt"
    whole = ensemble_members()
    pm.Ensemble(whole).run(3e-12, tol=1e-4)

    def stop(m, H):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pm.Ensemble(ensemble_members()).run(3e-12, tol=1e-4, until=stop, check_every=stop_check, autosave=path,
                                           autosave_every=4)
    again = pm.Ensemble(ensemble_members())
    again.load_state(path)
    again.run(3e-12, tol=1e-4, autosave=path)
    for a, b in zip(again.systems, whole):
        assert torch.equal(a.m, b.m)


# ----- temperature values ---------------------------------------------------------------------------------
def test_a_temperature_given_as_array_parameter_or_function_is_the_same_field():
    reference = small(5)
    reference.run(2e-12, progress=False, **RUNS["heun"])
    for T in (np.full((4, 3, 1), T0), lambda t: 0 * t + T0, lambda bath: bath):
        system = small(5, T=T)
        system.params.bath = T0
        system.run(2e-12, progress=False, **RUNS["heun"])
        assert torch.allclose(system.m, reference.m, rtol=0, atol=1e-14)


def test_a_temperature_switched_on_in_time_leaves_the_spins_still_before():
    # spins along their easy axis feel no torque: at T = 0 they stay exactly put
    t_on = 1e-12
    system = macrospins(4, [pm.UniaxialAnisotropy(), pm.Thermal(T=lambda t: T0 * float(t >= t_on), seed=2)],
                       Ku=1e5, Ku_axis=(0, 0, 1))
    start = system.m.clone()
    system.run(t_on - 1e-15, method="heun", dt=1e-14, progress=False)
    assert torch.equal(system.m, start)
    system.run(1e-12, method="heun", dt=1e-14, progress=False)
    assert float((system.m - start).abs().max()) > 1e-2


def test_at_zero_temperature_the_field_draws_nothing_and_changes_nothing():
    hot, cold, plain = small(1), small(1, T=0.0), small(1)
    plain.remove("thermal")
    for s in (cold, plain):
        s.run(2e-12, progress=False, **RUNS["rk23"])
    assert torch.equal(cold.m, plain.m)
    # nothing drawn: the stream is where a fresh one of the same seed starts
    assert torch.equal(cold.term("thermal").state()["generator"], hot.term("thermal").state()["generator"])


def test_frozen_cells_do_not_fluctuate():
    system = macrospins(4, [pm.Thermal(T=T0, seed=1)])
    system.fix(pm.Cuboid(size=(2 * CELL, 4 * CELL, CELL)).translate(-CELL, 0, 0))  # x < 0: columns 0, 1
    system.run(1e-12, method="heun", dt=1e-14, progress=False)
    m = system.m
    assert torch.equal(m[:, :2], torch.zeros_like(m[:, :2]).index_fill_(0, torch.tensor([2]), 1.0))
    assert float((1 - m[2, 2:]).min()) > 1e-3


# ----- what is refused ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("T", [-1.0, math.nan, math.inf, None, "hot"])
def test_an_unphysical_temperature_is_refused_when_given(T):
    with pytest.raises(pm.PymagError, match="Thermal T"):
        pm.Thermal(T=T)


@pytest.mark.parametrize("T", [np.full((4, 3, 1), -5.0), lambda t: -1.0 + 0 * t, lambda bath: bath,
                               lambda x: np.where(x > 0, math.nan, 300.0)])
def test_an_unphysical_temperature_function_is_refused_before_any_step(T):
    system = small(1, T=T)
    system.params.bath = -3.0
    with pytest.raises(pm.PymagError, match="Thermal T"):
        system.run(1e-12, progress=False, **RUNS["heun"])
    assert system.t == 0.0


def test_temperatures_of_the_wrong_shape_are_refused():
    with pytest.raises(pm.ShapeMismatchError, match="Thermal T"):
        small(1, T=np.full((2, 2, 1), T0)).run(1e-12, progress=False)


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True, 2**63])
def test_a_bad_seed_is_refused(seed):
    with pytest.raises(pm.PymagError, match="seed"):
        pm.Thermal(seed=seed)


@pytest.mark.parametrize("options", [{"differentiable": True}, {"adjoint": True}])
def test_gradient_runs_refuse_the_thermal_field(options):
    Ku = torch.tensor(3 * kB * T0 / V, dtype=torch.float64, requires_grad=True)
    system = small(1, Ku=Ku)
    with pytest.raises(pm.PymagError, match="Thermal"):
        system.run(1e-12, progress=False, **options)


def test_energy_drivers_leave_the_thermal_field_out():
    system = small(1)
    with pytest.raises(pm.PymagError):
        system.minimize()
    with pytest.warns(UserWarning, match="thermal"):
        system.relax()
    # the deterministic minimum: m in the x-z plane, tilted toward the field
    assert abs(float(system.m[1].abs().max())) < 1e-4


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_the_stream_is_reproducible_and_resumable_on_cuda(tmp_path):
    def spins(seed):
        return pm.System(pm.Mesh(n=(16, 16, 1), cell=CELL), material={"Ms": MS, "alpha": 0.5},
                         terms=[pm.Thermal(T=T0, seed=seed)], m=(0, 0, 1), dtype="float32", device="cuda")

    run = {"method": "heun", "dt": 2e-14, "progress": False}
    a, b = spins(3), spins(3)
    for s in (a, b):
        s.run(2e-12, **run)
    assert torch.equal(a.m, b.m) and a.m.is_cuda
    path = tmp_path / "cuda.ckpt"
    with pytest.raises(pm.PymagError, match="max_steps"):
        spins(3).run(2e-12, autosave=path, autosave_every=20, max_steps=50, **run)
    resumed = spins(4)
    resumed.load_state(path)
    resumed.run(2e-12, autosave=path, **run)
    assert torch.equal(resumed.m, a.m)
