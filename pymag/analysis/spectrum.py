"""Ringdown spectra and spatial mode maps, as in the FMR standard problem (Baker et al.,
J. Magn. Magn. Mater. 421, 428 (2017)).

A ringdown is sampled at uniform times; its mean is removed and a window applied (Hann by
default) before the Fourier transform. ``spectrum`` gives the one-sided spectrum of one
signal and its main peaks; ``mode_maps`` evaluates the same windowed transform of every
cell's signal at chosen frequencies, giving the amplitude and phase pattern of each mode.
Both normalise so that a steady signal ``a cos(2 pi f t + phi)`` reads amplitude ``a``
(and phase ``phi``) at ``f``.
"""
import os
from dataclasses import dataclass, field

import numpy as np

from ..errors import PymagError
from ..io.files import as_numpy

WINDOWS = ("hann", "none")
COMPONENTS = {"x": 0, "y": 1, "z": 2}
STEP_TOLERANCE = 1e-3  # relative spread of the time steps still read as uniform sampling


def _window(name, n):
    """Window weights for ``n`` samples: "hann" (periodic Hann, zero at the first sample)
    or "none" (all ones)."""
    if name not in WINDOWS:
        raise PymagError(f"window must be one of {WINDOWS}, got {name!r}")
    if name == "none":
        return np.ones(n)
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)


def _sampled(times, values, start, stop, window):
    """The samples inside [start, stop] (s), mean removed and windowed.

    ``values`` has time along its first axis. Returns (times, weighted values, sum of the
    window weights, time step) after checking that there are at least 4 uniform samples.
    """
    times = np.asarray(as_numpy(times), dtype=float).ravel()
    values = np.asarray(as_numpy(values), dtype=float)
    if times.size != values.shape[0]:
        raise PymagError(f"times: {times.size} times for {values.shape[0]} samples")
    if not (np.all(np.isfinite(times)) and np.all(np.isfinite(values))):
        raise PymagError("times and values must be finite (no NaN or infinity)")
    keep = np.ones(times.size, dtype=bool)
    if start is not None:
        keep &= times >= start
    if stop is not None:
        keep &= times <= stop
    times, values = times[keep], values[keep]
    if times.size < 4:
        raise PymagError(f"start/stop: a spectrum needs at least 4 samples, {times.size} lie in the time range")
    steps = np.diff(times)
    dt = float(np.median(steps))
    if not dt > 0 or np.max(np.abs(steps - dt)) > STEP_TOLERANCE * dt:
        raise PymagError(f"times: the samples are not uniformly spaced (steps from {steps.min():.6g} to "
                         f"{steps.max():.6g} s); resample them, or save with a fixed interval (save_every)")
    w = _window(window, times.size)
    shape = (-1,) + (1,) * (values.ndim - 1)
    weighted = (values - values.mean(axis=0)) * w.reshape(shape)
    return times, weighted, float(w.sum()), dt


def _refine(f, logp, i):
    """Frequency and log power of the vertex of the parabola through bins i-1, i, i+1 (an
    interior bin, as find_peaks reports)."""
    a, b, c = logp[i - 1], logp[i], logp[i + 1]
    curvature = a - 2 * b + c
    shift = 0.5 * (a - c) / curvature if curvature < 0 else 0.0
    return f[i] + shift * (f[1] - f[0]), b - 0.25 * (a - c) * shift


@dataclass
class Spectrum:
    """The one-sided spectrum of a ringdown.

    Attributes
    ----------
    f : numpy.ndarray
        Frequencies (Hz), from 0 to the Nyquist frequency.
    amplitude : numpy.ndarray
        Amplitude per frequency, in the unit of the signal: a sinusoid of amplitude ``a``
        at a frequency of the grid reads ``a``.
    power : numpy.ndarray
        ``amplitude**2``.
    peaks : numpy.ndarray
        Frequencies (Hz) of the main peaks, strongest first, refined between the bins.
    peak_power : numpy.ndarray
        Power at each peak (the refined maximum).
    label : str
        What was transformed (a column name), for the plot.
    """

    f: np.ndarray
    amplitude: np.ndarray
    power: np.ndarray
    peaks: np.ndarray
    peak_power: np.ndarray
    label: str = ""

    def plot(self, path=None, ax=None, fmax=None):
        """Power (log scale) against frequency (GHz), peaks marked and labelled.

        Parameters
        ----------
        path : str or path-like, optional
            Save the figure there (png, pdf, svg).
        ax : matplotlib Axes, optional
            Draw into it instead of a new figure.
        fmax : float, optional
            Upper end of the frequency axis (Hz); default: the Nyquist frequency.

        Returns
        -------
        matplotlib.axes.Axes
        """
        if ax is None:
            from matplotlib.figure import Figure
            ax = Figure(figsize=(6, 4)).subplots()
        floor = self.power.max() * 1e-12 if self.power.max() > 0 else 1.0
        ax.semilogy(self.f / 1e9, np.maximum(self.power, floor), lw=1, label=self.label or None)
        ax.plot(self.peaks / 1e9, self.peak_power, "v", color="C3", ms=6)
        for fp, p in zip(self.peaks, self.peak_power):
            ax.annotate(f"{fp / 1e9:.2f}", (fp / 1e9, p), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=8)
        ax.set_xlim(0, (self.f[-1] if fmax is None else fmax) / 1e9)
        ax.set_xlabel("f (GHz)")
        ax.set_ylabel("power")
        if self.label:
            ax.legend()
        if path is not None:
            ax.figure.tight_layout()
            ax.figure.savefig(path, dpi=120)
        return ax


def spectrum(data, column=None, times=None, start=None, stop=None, window="hann", pad=1,
             prominence=1.0, floor=1e-6):
    """Fourier spectrum of a ringdown and its main peaks.

    Parameters
    ----------
    data : pm.Table or array_like
        A table (its time column ``t`` is used) or the signal's values, one per time.
    column : str, optional
        The table column to transform, e.g. ``"my"``; needed with a table.
    times : array_like, optional
        Sample times (s), uniformly spaced; needed with an array.
    start, stop : float, optional
        Keep only the samples with ``start <= t <= stop`` (s), e.g. to skip a transient.
    window : {"hann", "none"}
        Window applied after the mean is removed.
    pad : int
        Zero padding: the transform has ``pad`` times as many points as samples (a finer
        frequency grid, no new information).
    prominence : float
        A peak must stand this many decades of power above the valleys that separate it
        from higher peaks (``scipy.signal.find_peaks`` on log10 power).
    floor : float
        Peaks weaker than ``floor`` times the strongest are not reported.

    Returns
    -------
    Spectrum
        ``f`` (Hz), ``amplitude``, ``power``, ``peaks`` (Hz, strongest first), ``plot()``.
        Each peak is refined by a parabola through the log power of its bin and the two
        neighbours, exact for a Gaussian line and good to a small fraction of a bin for
        the Hann window's main lobe.

    Raises
    ------
    PymagError
        A missing column, missing or non-uniform times, fewer than 4 samples in the range,
        an unknown window or a bad ``pad``, ``prominence`` or ``floor``.
    """
    if hasattr(data, "columns") and hasattr(data, "__getitem__"):
        if column is None or column not in data.columns:
            raise PymagError(f"column: name one of the table's columns {data.columns}, got {column!r}")
        if "t" not in data.columns:
            raise PymagError(f"data: the table has no time column 't'; columns: {data.columns}")
        values, times = data[column], data["t"] if times is None else times
        label = column
    else:
        if times is None:
            raise PymagError("times: a signal given as an array needs its sample times (s)")
        values = as_numpy(data)
        if values.ndim != 1:
            raise PymagError(f"data: a spectrum takes one signal (a 1-D array), got shape {values.shape}")
        label = column or ""
    if int(pad) != pad or pad < 1:
        raise PymagError(f"pad must be a whole number >= 1, got {pad}")
    if not prominence > 0 or not 0 <= floor < 1:
        raise PymagError(f"need prominence > 0 (decades) and 0 <= floor < 1, got {prominence}, {floor}")
    _, weighted, wsum, dt = _sampled(times, values, start, stop, window)
    n = int(pad) * weighted.size
    amplitude = 2 * np.abs(np.fft.rfft(weighted, n)) / wsum
    amplitude[0] /= 2
    f = np.fft.rfftfreq(n, dt)
    power = amplitude**2
    peaks, peak_power = _peaks(f, power, prominence, floor)
    return Spectrum(f, amplitude, power, peaks, peak_power, label)


def _peaks(f, power, prominence, floor):
    """Refined peak frequencies and powers, strongest first."""
    from scipy.signal import find_peaks
    if not power.max() > 0:
        return np.zeros(0), np.zeros(0)
    logp = np.log10(np.maximum(power, np.finfo(float).tiny))
    height = logp.max() + np.log10(floor) if floor > 0 else None
    index, _ = find_peaks(logp, prominence=prominence, height=height)
    refined = np.array([_refine(f, logp, i) for i in index]).reshape(-1, 2)
    order = np.argsort(-refined[:, 1], kind="stable")
    return refined[order, 0], 10 ** refined[order, 1]


@dataclass
class ModeMaps:
    """Amplitude and phase of one magnetization component per cell at chosen frequencies.

    The windowed ringdown of every cell is approximated near ``f`` by
    ``amplitude * cos(2 pi f t + phase)``.

    Attributes
    ----------
    freqs : numpy.ndarray
        The frequencies (Hz), shape (k,).
    amplitude : numpy.ndarray
        Shape (k, nx, ny, nz), in the unit of the magnetization component (1 for m).
    phase : numpy.ndarray
        Shape (k, nx, ny, nz), radians in (-pi, pi], relative to t = 0.
    component : str
        "x", "y" or "z".
    mesh : pm.Mesh or None
        The mesh, when known (from OVF files or given), for axes in nm.
    """

    freqs: np.ndarray
    amplitude: np.ndarray
    phase: np.ndarray
    component: str = "y"
    mesh: object = field(default=None, repr=False)

    def plot(self, path=None, layer=0):
        """One row per frequency: the amplitude map and the phase map of layer ``layer``.

        Parameters
        ----------
        path : str or path-like, optional
            Save the figure there.
        layer : int
            The z layer shown.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from matplotlib.figure import Figure
        nx, ny, nz = self.amplitude.shape[1:]
        if not -nz <= layer < nz:
            raise PymagError(f"layer {layer} does not exist: the maps have {nz} layer(s)")
        if self.mesh is not None:
            sx, sy = (s * 1e9 for s in self.mesh.size[:2])
            extent, unit = (-sx / 2, sx / 2, -sy / 2, sy / 2), "nm"
        else:
            extent, unit = (-0.5, nx - 0.5, -0.5, ny - 0.5), "cell"
        k = len(self.freqs)
        fig = Figure(figsize=(8, 3.4 * k))
        axes = fig.subplots(k, 2, squeeze=False)
        for row, f in enumerate(self.freqs):
            amp, ph = self.amplitude[row, :, :, layer].T, self.phase[row, :, :, layer].T
            for ax, image, kwargs, name in ((axes[row, 0], amp, {"cmap": "viridis", "vmin": 0}, "amplitude"),
                                            (axes[row, 1], ph, {"cmap": "twilight", "vmin": -np.pi, "vmax": np.pi},
                                             "phase (rad)")):
                shown = ax.imshow(image, origin="lower", extent=extent, interpolation="nearest", **kwargs)
                fig.colorbar(shown, ax=ax, shrink=0.85)
                ax.set_title(f"m{self.component} {name}, {f / 1e9:.2f} GHz")
                ax.set_xlabel(f"x ({unit})")
                ax.set_ylabel(f"y ({unit})")
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=120)
        return fig


def _snapshots(snapshots, times):
    """(values (T, 3, nx, ny, nz), times, mesh or None) from OVF paths, a list of arrays or
    tensors, or one stacked array."""
    mesh = None
    if isinstance(snapshots, (str, os.PathLike)):
        raise PymagError("snapshots: give a list of OVF files, not one path")
    if isinstance(snapshots, (list, tuple)) and snapshots and isinstance(snapshots[0], (str, os.PathLike)):
        from ..io.ovf import load_ovf
        files = [load_ovf(p) for p in snapshots]
        mesh = files[0].mesh
        if times is None:
            missing = [str(p) for p, d in zip(snapshots, files) if d.t is None]
            if missing:
                raise PymagError(f"times: {missing[0]} has no simulation time in its header; pass times=")
            times = [d.t for d in files]
        values = np.stack([d.array for d in files])
    elif isinstance(snapshots, (list, tuple)):
        values = np.stack([as_numpy(s) for s in snapshots]) if snapshots else np.zeros((0,))
    else:
        values = as_numpy(snapshots)
    if values.ndim != 5 or values.shape[1] != 3:
        raise PymagError(f"snapshots: expected magnetizations of shape (3, nx, ny, nz), stacked as "
                         f"(T, 3, nx, ny, nz); got {values.shape}")
    if times is None:
        raise PymagError("times: snapshots given as arrays need their times (s)")
    return values, times, mesh


def mode_maps(snapshots, freqs, times=None, component="y", start=None, stop=None, window="hann", mesh=None):
    """Per-cell amplitude and phase of a ringdown at the given frequencies.

    Parameters
    ----------
    snapshots : list or array
        Magnetization snapshots at uniform times: a list of OVF file paths (their headers
        give the times, e.g. ``system.autosave``'s ``m*.ovf``), a list of arrays or tensors
        of shape (3, nx, ny, nz), or one array (T, 3, nx, ny, nz).
    freqs : float or sequence of float
        Frequencies (Hz), e.g. ``spectrum(...).peaks``. The transform is evaluated at
        exactly these frequencies, not at the nearest grid frequency.
    times : array_like, optional
        Times of the snapshots (s); needed unless they come from OVF files.
    component : {"x", "y", "z"}
        The magnetization component analysed.
    start, stop : float, optional
        Keep only the snapshots with ``start <= t <= stop`` (s).
    window : {"hann", "none"}
        As in ``spectrum``, applied to every cell's signal after its mean is removed.
    mesh : pm.Mesh, optional
        The mesh (for plot axes in nm); OVF files bring their own.

    Returns
    -------
    ModeMaps
        ``freqs``, ``amplitude`` and ``phase`` of shape (len(freqs), nx, ny, nz), ``plot()``.
    """
    if component not in COMPONENTS:
        raise PymagError(f"component must be one of {sorted(COMPONENTS)}, got {component!r}")
    freqs = np.atleast_1d(np.asarray(freqs, dtype=float))
    if freqs.ndim != 1 or freqs.size == 0 or not np.all(np.isfinite(freqs) & (freqs >= 0)):
        raise PymagError(f"freqs: give one or more finite frequencies >= 0 (Hz), got {freqs}")
    values, times, found = _snapshots(snapshots, times)
    cells = values.shape[2:]
    t, weighted, wsum, _ = _sampled(times, values[:, COMPONENTS[component]].reshape(len(values), -1),
                                    start, stop, window)
    transform = np.exp(-2j * np.pi * freqs[:, None] * t[None, :]) @ weighted
    amplitude = 2 * np.abs(transform) / wsum
    amplitude[freqs == 0] /= 2
    phase = np.angle(transform)
    return ModeMaps(freqs, amplitude.reshape((-1,) + cells), phase.reshape((-1,) + cells), component,
                    mesh if mesh is not None else found)
