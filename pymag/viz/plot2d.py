"""Matplotlib maps of m: in-plane angle as hue, m_z as lightness, one panel per layer."""
import numpy as np


def colorize(m, magnet=None):
    """RGB image (ny, nx, 3) of a layer m (3, nx, ny): hue = in-plane angle, lightness = (1+m_z)/2
    (white for m_z = +1, black for -1), light grey where ``magnet`` is False. Row 0 is the lowest y."""
    from matplotlib.colors import hsv_to_rgb
    mx, my, mz = (np.asarray(c, dtype=float).T for c in m)
    hue = (np.arctan2(my, mx) / (2 * np.pi)) % 1.0
    light = np.clip((1 + mz) / 2, 0, 1)
    # HSL-like: full colour at m_z = 0, white at +1, black at -1
    sat = 1 - np.abs(2 * light - 1)
    val = np.minimum(1, 2 * light)
    rgb = hsv_to_rgb(np.stack([hue, sat, val], axis=-1))
    if magnet is not None:
        rgb[~np.asarray(magnet).T] = 0.85
    return rgb


def plot_m(system, path=None, arrows=True, title=None):
    """Figure of the system's m, one panel per layer, optionally with in-plane arrows; saved to
    ``path`` (png/pdf/svg) when given. Returns the matplotlib Figure."""
    from matplotlib.figure import Figure
    m = system.m.detach().cpu().numpy()
    magnet = system.magnet.cpu().numpy()
    nx, ny, nz = system.mesh.n
    sx, sy, _ = (s * 1e9 for s in system.mesh.size)
    extent = (-sx / 2, sx / 2, -sy / 2, sy / 2)
    fig = Figure(figsize=(4.2 * nz + 0.5, 4.2 * max(sy / sx, 0.3) + 0.8))
    axes = fig.subplots(1, nz, squeeze=False)[0]
    for k, ax in enumerate(axes):
        ax.imshow(colorize(m[:, :, :, k], magnet[:, :, k]), origin="lower", extent=extent, interpolation="nearest")
        if arrows:
            step = max(1, max(nx, ny) // 24)
            x = system.mesh.axis_coordinates(0)[::step] * 1e9
            y = system.mesh.axis_coordinates(1)[::step] * 1e9
            u = m[0, ::step, ::step, k].T
            v = m[1, ::step, ::step, k].T
            ax.quiver(x, y, u, v, pivot="mid", color="k", alpha=0.6, scale=30 if nx > 1 else None)
        ax.set_xlabel("x (nm)")
        ax.set_ylabel("y (nm)")
        ax.set_title(f"layer {k}" if title is None else f"{title} (layer {k})")
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig
