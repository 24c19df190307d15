"""Matplotlib map of the winding density with the vortex and antivortex cores marked."""
import numpy as np

from ..analysis import find_vortices
from ..analysis.winding import density, layer_view

MARKERS = {"vortex": "o", "antivortex": "X"}
COLOURS = {"V+ ccw": "tab:orange", "V+ cw": "tab:green", "V- ccw": "tab:purple", "V- cw": "tab:cyan",
           "AV+": "gold", "AV-": "black"}


def plot_winding(system_or_m, path=None, layer=None, ax=None, magnet=None, cell=None, threshold=0.05):
    """Figure of the winding density per cell (diverging colours, zero white, non-magnetic
    cells grey; x, y in nm) with each core from ``find_vortices`` marked: a circle for a
    vortex, a cross for an antivortex, labelled like "V+ ccw" (polarity, circulation seen
    from +z). Draws into ``ax`` when given, saves to ``path`` when given; returns the Figure.
    A raw magnetization needs ``cell`` = (dx, dy, dz) (m)."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure
    view = layer_view(system_or_m, layer, magnet, cell)
    cores = find_vortices(system_or_m, layer, threshold, magnet, cell)
    wd = density(view)
    if ax is None:
        fig = Figure(figsize=(5.6, 4.6))
        ax = fig.subplots()
    else:
        fig = ax.figure
    nx, ny = wd.shape
    sx, sy = nx * view.cell[0] * 1e9, ny * view.cell[1] * 1e9
    limit = max(float(np.abs(wd).max()), 1e-12)
    cmap = colormaps["RdBu_r"].with_extremes(bad="0.8")
    image = ax.imshow(np.ma.masked_where(~view.magnet, wd).T, origin="lower", cmap=cmap, vmin=-limit, vmax=limit,
                      extent=(-sx / 2, sx / 2, -sy / 2, sy / 2), interpolation="nearest")
    fig.colorbar(image, ax=ax, label="winding density per cell")
    for core in cores:
        shown = core.label in ax.get_legend_handles_labels()[1]
        ax.plot(core.x * 1e9, core.y * 1e9, MARKERS[core.kind], color=COLOURS.get(core.label, "grey"),
                markeredgecolor="k", markersize=9, linestyle="none", label=None if shown else core.label)
    vortices = sum(c.kind == "vortex" for c in cores)
    ax.set_title(f"cores: {vortices} vortex, {len(cores) - vortices} antivortex")
    ax.set_xlabel("x (nm)")
    ax.set_ylabel("y (nm)")
    if cores:
        ax.legend(loc="best", fontsize="small", framealpha=0.8)
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig
