"""Inverse problem in space: a film's Ms map recovered from its stray field above it.

Seed 003 (NeuralMag, sec. IV, eq. 25-26): a static forward problem F (here the FFT demag
field of a film) is inverted by minimizing |F(theta) - y| plus a regularizer, the gradient
coming from automatic differentiation of the discrete forward problem.

The film: 32 x 32 cells of 4 x 4 nm, 4 nm thick (128 x 128 x 4 nm), magnetized along +z
(m = z everywhere, as a perpendicular film saturated by its anisotropy or a field). Its
Ms is 500 kA/m except in a disk (48 nm across, centred at (-24, 16) nm) of 800 kA/m and
a square (32 nm, centred at (28, -24) nm) of 200 kA/m. The "measurement" is the z
component of the stray field in a plane ``height`` cells above the film (default 4: the
plane's mid-height is 16 nm above the film's, 14 nm above its top surface), computed
by pymag's FFT demag on a taller mesh whose layers above the film are empty: each
measured value is the stray field averaged over one 4 nm cell outside the magnet, as a
sensor of that size would see it. Gaussian noise of 1 % of the largest |H_z| is added
(seed 0).

The unknown is the per-cell Ms of the film, written Ms = 1 MA/m * softplus(p) so that it
stays positive (pymag takes a cell with Ms = 0 out of the magnet, where no gradient
reaches it), starting from a uniform 400 kA/m. The loss is the misfit of the field,
mean (H_z - H_z,measured)^2 / mean H_z,measured^2, plus ``lam`` times the smoothed total
variation of Ms / (1 MA/m), which favours piecewise-constant maps with sharp edges.
The field blurs what is smaller than the measurement height, so without the regularizer
the noise in the data turns into noise in the map.

With the defaults (height 4, noise 1 %, lam = 0.01, Adam with step 0.05 for 1000
iterations) the recovered map differs from the true one by 4.2 % (relative L2 over the
film's cells); the loss is within 1 % of its final value after about 200 iterations, the
1000 take 7-12 s on 2 shared cores. Most of the error sits on the edges of the disk and
the square, which the 16 nm distance smooths: without noise the same run reaches 3.7 %,
with the plane 8 nm above the film (``--height 2``) 2.0 %, 32 nm above (``--height 8``)
7.2 %; without the regularizer (``--lam 0``) the noise makes it 28 %.

Writes, into the output folder: inverse_stray_field.png (true map, measured field,
recovered map, difference) and history.csv (iteration, loss).
"""
import argparse
import math
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

import pymag as pm
from pymag.units import nm

N = 32                          # film cells per side
CELL = 4 * nm                   # cell edge (m), in plane and through the thickness
MS_UNIT = 1e6                   # scale of the unknown (A/m): Ms = MS_UNIT softplus(p)
BACKGROUND, DISK, SQUARE = 500e3, 800e3, 200e3      # true Ms (A/m)
START = 400e3                   # uniform first guess (A/m)


def make_mesh(height):
    """The film in the bottom layer and ``height`` layers above it, up to the measurement plane."""
    return pm.Mesh(n=(N, N, height + 1), cell=(CELL, CELL, CELL))


def film_z(mesh):
    """Height (m) of the film's mid-plane: the bottom layer of ``mesh``, which is centred on the origin."""
    return -(mesh.n[2] - 1) / 2 * CELL


def film_shape(mesh):
    """The film: the bottom layer of ``mesh``."""
    return pm.Cuboid(size=(N * CELL, N * CELL, CELL)).translate(0, 0, film_z(mesh))


def true_system(height):
    """The film with its true Ms map (a disk and a square painted as regions), along +z."""
    mesh = make_mesh(height)
    z = film_z(mesh)
    regions = [pm.Region(pm.Cylinder(48 * nm, CELL).translate(-24 * nm, 16 * nm, z), {"Ms": DISK}, "disk"),
               pm.Region(pm.Cuboid((32 * nm, 32 * nm, CELL)).translate(28 * nm, -24 * nm, z), {"Ms": SQUARE}, "square")]
    return pm.System(mesh, geometry=film_shape(mesh), material={"Ms": BACKGROUND}, regions=regions,
                     terms=[pm.Demag()], m=(0, 0, 1))


def measure(height=4, noise=0.01, seed=0):
    """The true Ms map of the film (A/m, tensor (N, N)) and the measured H_z (A/m, tensor
    (N, N)) in layer ``height``, with Gaussian noise of ``noise`` times the largest |H_z|."""
    system = true_system(height)
    Hz = system.field("demag")[2, :, :, height]
    rng = np.random.default_rng(seed)
    Hz = Hz + noise * Hz.abs().max() * torch.as_tensor(rng.standard_normal(Hz.shape), dtype=Hz.dtype)
    return system.Ms[:, :, 0], Hz


def total_variation(u, eps=1e-2):
    """Smoothed isotropic total variation of a map ``u`` (N, N), per cell:
    mean of sqrt(|forward differences|^2 + eps^2)."""
    gx = u[1:, :-1] - u[:-1, :-1]
    gy = u[:-1, 1:] - u[:-1, :-1]
    return torch.sqrt(gx ** 2 + gy ** 2 + eps ** 2).mean()


def film_Ms(p, layers):
    """Ms (A/m) on the mesh, tensor (N, N, layers): MS_UNIT softplus(p) in the film, zero above."""
    film = MS_UNIT * F.softplus(p)
    return torch.cat([film[:, :, None], film.new_zeros((N, N, layers - 1))], dim=2)


@dataclass
class Reconstruction:
    """What ``reconstruct`` found: the recovered Ms map (A/m, numpy (N, N)), its relative L2
    ``error`` against ``true`` (A/m, numpy), the measured field ``Hz`` (A/m), the pm.optimize
    ``result`` and the wall time (s)."""

    Ms: np.ndarray
    true: np.ndarray
    Hz: np.ndarray
    error: float
    result: object
    wall: float


def reconstruct(height=4, noise=0.01, lam=0.01, optimizer="adam", max_iter=1000, lr=0.05, seed=0, progress=False):
    """Measure the stray field of the true film, then recover its Ms map by minimizing the
    field misfit plus ``lam`` times its total variation with pm.optimize. Returns a Reconstruction."""
    true, measured = measure(height, noise, seed)
    p = torch.full((N, N), math.log(math.expm1(START / MS_UNIT)), dtype=torch.float64, requires_grad=True)
    mesh = make_mesh(height)
    system = pm.System(mesh, geometry=film_shape(mesh), material={"Ms": lambda p: film_Ms(p, mesh.n[2])},
                       terms=[pm.Demag()], m=(0, 0, 1), params={"p": p})
    scale = measured.pow(2).mean()

    def loss():
        misfit = (system.field("demag")[2, :, :, height] - measured).pow(2).mean() / scale
        return misfit + lam * total_variation(system.Ms[:, :, 0] / MS_UNIT)

    start = time.perf_counter()
    result = pm.optimize(loss, [p], method=optimizer, max_iter=max_iter, lr=lr, progress=progress)
    wall = time.perf_counter() - start
    Ms = MS_UNIT * F.softplus(result.values[0])
    error = float((Ms - true).norm() / true.norm())
    return Reconstruction(Ms.numpy(), true.numpy(), measured.numpy(), error, result, wall)


def plot(rec, height, path):
    """True map, measured field, recovered map and their difference (kA/m), in nm."""
    from matplotlib.figure import Figure
    extent = np.array([-1, 1, -1, 1]) * N * CELL / 2 / nm
    fig = Figure(figsize=(16, 3.8))
    axes = fig.subplots(1, 4)
    vmin, vmax = rec.true.min() / 1e3, rec.true.max() / 1e3
    panels = [(rec.true / 1e3, "true Ms (kA/m)", "viridis", (vmin, vmax)),
              (rec.Hz / 1e3, f"measured H_z, {height * CELL / nm:.0f} nm above (kA/m)", "RdBu_r", None),
              (rec.Ms / 1e3, "recovered Ms (kA/m)", "viridis", (vmin, vmax)),
              ((rec.Ms - rec.true) / 1e3, f"recovered - true (kA/m), L2 error {100 * rec.error:.1f} %", "RdBu_r", None)]
    for ax, (data, title, cmap, limits) in zip(axes, panels):
        if limits is None:
            bound = np.abs(data).max()
            limits = (-bound, bound)
        image = ax.imshow(data.T, origin="lower", extent=extent, cmap=cmap, vmin=limits[0], vmax=limits[1])
        fig.colorbar(image, ax=ax, shrink=0.85)
        ax.set(title=title, xlabel="x (nm)", ylabel="y (nm)")
        ax.title.set_fontsize(9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--height", type=int, default=4, help="measurement plane, in 4 nm cells above the film")
    parser.add_argument("--noise", type=float, default=0.01, help="noise, a fraction of the largest |H_z|")
    parser.add_argument("--lam", type=float, default=0.01, help="weight of the total-variation regularizer")
    parser.add_argument("--optimizer", choices=("adam", "lbfgs"), default="adam")
    parser.add_argument("--max-iter", type=int, default=1000)
    parser.add_argument("--lr", type=float, default=0.05, help="step (in softplus units of 1 MA/m)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (a 32 x 32 film is small)")
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = pm.io.output_dir(args.out)

    rec = reconstruct(args.height, args.noise, args.lam, args.optimizer, args.max_iter, args.lr, args.seed,
                      progress=True)
    res = rec.result
    print(f"measurement {args.height * CELL / nm:.0f} nm above the film, noise {100 * args.noise:g} %, "
          f"lam {args.lam:g}, {args.optimizer}")
    print(f"{res.iterations} iterations in {rec.wall:.1f} s: loss {res.history['loss'][0]:.3e} -> {res.loss:.3e}, "
          f"relative L2 error of Ms {100 * rec.error:.2f} %")
    for name, value in (("disk", DISK), ("square", SQUARE), ("background", BACKGROUND)):
        recovered = rec.Ms[rec.true == value].mean()
        print(f"  {name:10s} true {value / 1e3:6.1f} kA/m, recovered mean {recovered / 1e3:6.1f} kA/m")
    res.history.to_csv(out / "history.csv")
    plot(rec, args.height, out / "inverse_stray_field.png")
    print(f"wrote inverse_stray_field.png and history.csv to {out}")


if __name__ == "__main__":
    main()
