"""Ringdown spectra and mode maps against signals whose frequencies, amplitudes and phases are
known analytically, and a macrospin whose precession frequency is Kittel's."""
import math

import numpy as np
import pytest

import pymag as pm
from pymag.analysis import mode_maps, spectrum
from pymag.units import mu0, ns, ps

DT = 5 * ps
N = 2000
T = np.arange(N) * DT
BIN = 1 / (N * DT)                   # 0.1 GHz


def damped(f, amplitude, tau, phase=0.0):
    return amplitude * np.exp(-T / tau) * np.cos(2 * np.pi * f * T + phase)


def test_peaks_of_damped_sinusoids_between_bins():
    # three lines off the frequency grid (0.37, 0.81, 0.55 bins past a grid point), of falling
    # strength and lifetime, like the modes of a ringdown
    freqs = np.array([3.037e9, 7.081e9, 12.055e9])
    signal = damped(freqs[0], 1.0, 2 * ns, 0.3) + damped(freqs[1], 0.3, 1.5 * ns, 2.0) + damped(freqs[2], 0.05, ns)
    result = spectrum(signal, times=T)
    # strongest first; the log-parabola through three bins finds a Hann-windowed Lorentzian's
    # centre to within 0.01 bin here (measured 0.009 at worst over random offsets); allow 0.05
    np.testing.assert_allclose(result.peaks, freqs, atol=0.05 * BIN)
    assert np.all(np.diff(result.peak_power) < 0)


def test_amplitude_of_a_steady_sinusoid():
    # a sinusoid on the grid reads its amplitude at its frequency, the Hann window's sum normalising
    f, a = 40 * BIN, 0.2
    result = spectrum(a * np.cos(2 * np.pi * f * T + 1.0), times=T)
    k = int(np.argmin(np.abs(result.f - f)))
    assert result.amplitude[k] == pytest.approx(a, rel=1e-9)
    assert result.power[k] == pytest.approx(a * a, rel=1e-9)
    # half a bin off the grid, the worst case, the bins read 28 % low (Hann's 1.4 dB scalloping
    # loss); the parabola's vertex brings the peak back to within 8 % (measured 7.7 %)
    result = spectrum(a * np.cos(2 * np.pi * (f + BIN / 2) * T), times=T)
    assert result.peak_power[0] == pytest.approx(a * a, rel=0.1)
    assert result.peaks[0] == pytest.approx(f + BIN / 2, abs=0.02 * BIN)


def test_constant_offset_is_removed():
    # the mean of m (the static equilibrium) does not leak into the spectrum
    ringdown = damped(5e9, 0.01, 2 * ns)
    shifted = spectrum(0.7 + ringdown, times=T)
    np.testing.assert_allclose(shifted.amplitude, spectrum(ringdown, times=T).amplitude, rtol=1e-9, atol=1e-15)
    assert shifted.amplitude[0] < 0.01 * shifted.amplitude.max()


def test_zero_padding_refines_the_grid():
    result = spectrum(damped(5e9, 1, 2 * ns), times=T, pad=4)
    assert result.f[1] == pytest.approx(BIN / 4)
    assert len(result.f) == 4 * N // 2 + 1


def test_window_none_is_a_plain_fft():
    signal = damped(5e9, 1, 2 * ns)
    result = spectrum(signal, times=T, window="none")
    plain = 2 * np.abs(np.fft.rfft(signal - signal.mean())) / N
    np.testing.assert_allclose(result.amplitude[1:], plain[1:], rtol=1e-12)


def test_start_skips_a_transient():
    # a strong 2 GHz burst during the first 2 ns, then a weak 9 GHz ringdown
    burst = np.where(T < 2 * ns, np.cos(2 * np.pi * 2e9 * T), 0.0)
    late = np.where(T >= 2 * ns, 0.01 * np.cos(2 * np.pi * 9e9 * T), 0.0)
    # the 2 ns burst is a line 0.5 GHz wide: its peak is good to a bin
    assert spectrum(burst + late, times=T).peaks[0] == pytest.approx(2e9, abs=BIN)
    result = spectrum(burst + late, times=T, start=2 * ns)
    assert result.peaks[0] == pytest.approx(9e9, abs=0.05 * BIN)
    assert not np.any(np.abs(result.peaks - 2e9) < 5 * BIN)


def test_table_column():
    table = pm.Table({"t": T, "my": damped(6.3e9, 0.01, 2 * ns)})
    assert spectrum(table, "my").peaks[0] == pytest.approx(6.3e9, abs=0.05 * BIN)


def test_plot_marks_the_peaks(tmp_path):
    result = spectrum(damped(4e9, 1, 2 * ns) + damped(9e9, 0.1, 2 * ns), times=T)
    ax = result.plot(tmp_path / "spectrum.png")
    assert ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.lines[1].get_xdata(), result.peaks / 1e9)
    assert (tmp_path / "spectrum.png").stat().st_size > 0


@pytest.mark.parametrize("call,parameter", [
    (lambda: spectrum(pm.Table({"t": T, "mx": T}), "my"), "column"),
    (lambda: spectrum(np.ones(N), times=T * (1 + 0.01 * np.sin(np.arange(N)))), "times"),
    (lambda: spectrum(np.ones(3), times=T[:3]), "at least 4 samples"),
    (lambda: spectrum(np.ones(N), times=T, start=T[-2]), "at least 4 samples"),
    (lambda: spectrum(np.ones(N)), "times"),
    (lambda: spectrum(np.ones(N), times=T, window="kaiser"), "window"),
    (lambda: spectrum(np.ones(N), times=T, pad=0), "pad"),
])
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(pm.PymagError, match=parameter):
        call()


# ----- mode maps ------------------------------------------------------------------------------

def two_modes(f1, f2, nx=8, ny=6, nz=2):
    """m_y(t) of every cell: a standing wave cos(pi x/L) at f1 with a phase ramp along y, and a
    uniform mode at f2; returns (snapshots (T, 3, nx, ny, nz), amplitude and phase at f1)."""
    x = (np.arange(nx) + 0.5) / nx
    amp1 = np.abs(np.cos(np.pi * x))[:, None, None] * np.ones((nx, ny, nz)) * 0.02
    phase1 = np.where(np.cos(np.pi * x) >= 0, 0.0, np.pi)[:, None, None] + np.linspace(-2, 2, ny)[None, :, None]
    phase1 = np.angle(np.exp(1j * phase1)) * np.ones((nx, ny, nz))
    my = (amp1[None] * np.cos(2 * np.pi * f1 * T[:, None, None, None] + phase1[None])
          + 0.05 * np.cos(2 * np.pi * f2 * T)[:, None, None, None])
    snaps = np.zeros((N, 3, nx, ny, nz))
    snaps[:, 0] = 0.9
    snaps[:, 1] = 0.3 + my
    return snaps, amp1, phase1


def test_mode_maps_recover_amplitude_and_phase_at_an_off_grid_frequency():
    # f1 = 6.327 GHz sits 0.27 bin past a grid frequency; evaluated there exactly, a steady mode
    # gives its amplitude and phase; the uniform mode 4 GHz away leaks through the Hann window's
    # sidelobes at a relative level ~1e-5 of its amplitude 0.05, hence atol 1e-6 on 0.02
    f1, f2 = 6.327e9, 10.2e9
    snaps, amp1, phase1 = two_modes(f1, f2)
    maps = mode_maps(snaps, freqs=[f1, f2], times=T)
    assert maps.amplitude.shape == (2,) + amp1.shape
    np.testing.assert_allclose(maps.amplitude[0], amp1, atol=1e-6)
    strong = amp1 > 0.002
    np.testing.assert_allclose(np.angle(np.exp(1j * (maps.phase[0] - phase1)))[strong], 0, atol=1e-3)
    np.testing.assert_allclose(maps.amplitude[1], 0.05, atol=1e-6)


def test_mode_maps_from_a_list_and_from_ovf_files(tmp_path):
    # the three input forms give the same maps; OVF files carry their times and the mesh
    snaps, _, _ = two_modes(6.3e9, 10.2e9, nx=4, ny=3, nz=1)
    snaps, times = snaps[:200], T[:200]
    mesh = pm.Mesh(n=(4, 3, 1), cell=(5e-9, 5e-9, 5e-9))
    paths = []
    for k, (m, t) in enumerate(zip(snaps, times)):
        paths.append(tmp_path / f"m{k:06d}.ovf")
        pm.io.save_ovf(paths[-1], m, mesh, fmt="binary8", t=t)
    stacked = mode_maps(snaps, [6.3e9], times=times)
    listed = mode_maps(list(snaps), [6.3e9], times=times)
    from_files = mode_maps(paths, [6.3e9])
    np.testing.assert_allclose(listed.amplitude, stacked.amplitude, rtol=1e-12)
    np.testing.assert_allclose(from_files.amplitude, stacked.amplitude, rtol=1e-9)
    np.testing.assert_allclose(from_files.phase, stacked.phase, atol=1e-9)
    assert from_files.mesh.n == (4, 3, 1)


def test_mode_maps_plot(tmp_path):
    snaps, _, _ = two_modes(6.3e9, 10.2e9, nx=4, ny=3, nz=1)
    fig = mode_maps(snaps, [6.3e9, 10.2e9], times=T).plot(tmp_path / "modes.png")
    assert len(fig.axes) == 8                     # amplitude and phase per frequency, each with a colour bar
    assert (tmp_path / "modes.png").stat().st_size > 0


@pytest.mark.parametrize("kwargs,parameter", [
    (dict(snapshots=np.zeros((N, 2, 4, 3, 1)), freqs=[1e9], times=T), "snapshots"),
    (dict(snapshots=np.zeros((N, 3, 4, 3, 1)), freqs=[1e9]), "times"),
    (dict(snapshots=np.zeros((N, 3, 4, 3, 1)), freqs=[1e9], times=T, component="w"), "component"),
    (dict(snapshots=np.zeros((N, 3, 4, 3, 1)), freqs=[-1e9], times=T), "freqs"),
    (dict(snapshots=np.zeros((N, 3, 4, 3, 1)), freqs=[1e9], times=T[::-1]), "times"),
])
def test_mode_maps_bad_input_names_the_parameter(kwargs, parameter):
    with pytest.raises(pm.PymagError, match=parameter):
        mode_maps(**kwargs)


# ----- a macrospin ----------------------------------------------------------------------------

def test_macrospin_precesses_at_the_kittel_frequency():
    # one cell with the shape anisotropy of an infinite thin film written as an easy-plane
    # anisotropy Ku = -mu0 Ms^2/2 along z, a field H along x in the plane: Kittel (Phys. Rev.
    # 73, 155 (1948)) gives f = gamma/(2 pi) sqrt(H (H + Ms)), here 8.07 GHz
    Ms, H, gamma, alpha = 8e5, 8e4, 2.211e5, 0.002
    mesh = pm.Mesh(n=(1, 1, 1), cell=(5e-9, 5e-9, 5e-9))
    system = pm.System(mesh, material={"Ms": Ms, "alpha": alpha, "gamma": gamma,
                                       "Ku": -mu0 * Ms**2 / 2, "Ku_axis": (0, 0, 1)},
                       terms=[pm.UniaxialAnisotropy(), pm.Zeeman(H=(H, 0, 0))], m=(1, 0.02, 0.02))
    table = system.run(4 * ns, save_every=DT, tol=1e-7, progress=False)
    kittel = gamma / (2 * math.pi) * math.sqrt(H * (H + Ms))
    # the damped LLG precesses at the Kittel frequency / (1 + alpha^2) (a 4e-6 shift); 4 ns give
    # 0.25 GHz bins, the refined peak is good to a small fraction of one: allow 0.01 GHz
    for column in ("my", "mz"):
        assert spectrum(table, column).peaks[0] == pytest.approx(kittel, abs=0.01e9)
