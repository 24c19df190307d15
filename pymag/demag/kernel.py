"""Newell (1993) demagnetizing tensor of a regular mesh, computed in float64 numpy.

``N_ij(R)`` is the field at a target cell, averaged over that cell, of a uniformly
magnetized source cell displaced by ``-R``, with the sign convention ``H = -N M``:
the self term of a cube is ``+1/3`` on the diagonal. N is dimensionless and depends
only on the cell's aspect ratio, so everything below works in units of the largest
cell edge.

Near displacements use Newell's closed forms f (for Nxx) and g (for Nxy), evaluated
once on the grid of cell corners and combined by a 27-point second difference. Far
away those differences cancel catastrophically (relative error ~ eps (r/h)^6 / V^2,
h the largest edge and V the cell volume in units of h^3), so beyond the crossover
radius ``crossover_radius(cell)`` the point-dipole tensor, averaged over the relative
displacement of the two cells with a 3-point Gauss rule per axis, takes over.

Reference: A. J. Newell, W. Williams, D. J. Dunlop, J. Geophys. Res. 98, 9551 (1993).
"""
import functools
import itertools
import math

import numpy as np

from ..errors import MeshError

#: Component order of every tensor returned here, and each component's (row, column).
COMPONENTS = ("xx", "yy", "zz", "xy", "xz", "yz")
PAIRS = ((0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2))

# Per component, per axis: True where the component is odd in that displacement axis.
ODD = ((False, False, False), (False, False, False), (False, False, False),
       (True, True, False), (True, False, True), (False, True, True))

# Gauss rule for the weight (1 - |t|) on [-1, 1], the density of the relative position
# of two points drawn uniformly from two cells of the same size (in units of the edge).
# Moments of that weight: 1, 1/6, 1/15 for t^0, t^2, t^4 (odd ones vanish). With nodes
# 0, +-s and weights w0, w1: w0 + 2 w1 = 1, 2 w1 s^2 = 1/6, 2 w1 s^4 = 1/15 give
# s^2 = 2/5, w1 = 5/24, w0 = 7/12; the rule is exact up to degree 5.
GAUSS_NODES = (0.0, math.sqrt(0.4), -math.sqrt(0.4))
GAUSS_WEIGHTS = (7.0 / 12.0, 5.0 / 24.0, 5.0 / 24.0)

# Crossover between the Newell and the averaged-dipole forms, chosen by measurement
# against the dipole tensor averaged with a 16-point rule per axis (Gauss-Legendre on
# each half of [-1, 1]), exact to ~1e-15 at r >= 8. Largest relative error over the
# components (scaled by the largest one) on a sample of displacements at distance r
# (in largest cell edges), Newell / 3-point dipole:
#   cell 1:1:1    r=12: 2.9e-9 / 9.2e-8   r=16: 1.9e-8 / 1.5e-8   r=20: 6.5e-8 / 3.9e-9
#   cell 1:1:0.2  r=12: 8.8e-8 / 1.2e-7   r=16: 5.2e-7 / 1.8e-8   r=20: 1.8e-6 / 4.7e-9
# Newell's error grows like eps r^6 / V^2, the dipole's falls like r^-6, so they cross
# at r_c = 16 V^(1/6) (V in largest edges cubed). The combined tensor then has a largest
# relative error of 1.4e-8 (cube), 3.0e-8 (1:1:0.5), 7.0e-8 (1:1:0.2), 8.6e-8
# (0.4:0.4:1 and 1:0.5:0.25), always at the crossover.
_CROSSOVER = 16.0


def crossover_radius(cell):
    """Distance (in units of the largest cell edge) beyond which the dipole form is used."""
    h = np.asarray(cell, float) / max(cell)
    return _CROSSOVER * float(np.prod(h)) ** (1.0 / 6.0)


def _ratio(num, den):
    """``num / den``, and 0 where ``den == 0`` (the term's prefactor vanishes there)."""
    num, den = np.broadcast_arrays(num, den)
    out = np.zeros(num.shape)
    np.divide(num, den, out=out, where=den != 0)
    return out


def newell_f(x, y, z):
    """Newell's f(x, y, z), whose 27-point second difference gives Nxx (length^3).

    Even in each argument; broadcasts its arguments.
    """
    x, y, z = (np.abs(np.asarray(v, dtype=float)) for v in (x, y, z))
    x2, y2, z2 = x * x, y * y, z * z
    r = np.sqrt(x2 + y2 + z2)
    return (0.5 * y * (z2 - x2) * np.arcsinh(_ratio(y, np.sqrt(x2 + z2)))
            + 0.5 * z * (y2 - x2) * np.arcsinh(_ratio(z, np.sqrt(x2 + y2)))
            - x * y * z * np.arctan(_ratio(y * z, x * r))
            + (2.0 * x2 - y2 - z2) * r / 6.0)


def newell_g(x, y, z):
    """Newell's g(x, y, z), whose 27-point second difference gives Nxy (length^3).

    Odd in x and in y, even in z; broadcasts its arguments.
    """
    x, y, z = (np.asarray(v, dtype=float) for v in (x, y, z))
    z = np.abs(z)
    x2, y2, z2 = x * x, y * y, z * z
    r = np.sqrt(x2 + y2 + z2)
    return (x * y * z * np.arcsinh(_ratio(z, np.sqrt(x2 + y2)))
            + y * (3.0 * z2 - y2) * np.arcsinh(_ratio(x, np.sqrt(y2 + z2))) / 6.0
            + x * (3.0 * z2 - x2) * np.arcsinh(_ratio(y, np.sqrt(x2 + z2))) / 6.0
            - z * z2 * np.arctan(_ratio(x * y, z * r)) / 6.0
            - z * y2 * np.arctan(_ratio(x * z, y * r)) / 2.0
            - z * x2 * np.arctan(_ratio(y * z, x * r)) / 2.0
            - x * y * r / 3.0)


def _second_difference(F):
    """Apply the 1-D weights (-1, 2, -1) along every axis (27 points in all) by slicing."""
    for axis in range(3):
        lo, mid, hi = ([slice(None)] * 3 for _ in range(3))
        lo[axis], mid[axis], hi[axis] = slice(None, -2), slice(1, -1), slice(2, None)
        F = 2.0 * F[tuple(mid)] - F[tuple(lo)] - F[tuple(hi)]
    return F


def newell_grid(shape, cell):
    """Newell tensor at displacements ``(i dx, j dy, k dz)``, ``0 <= i < shape[0]`` etc.

    ``cell`` (any length unit) gives the cell size. Returns shape ``(6, *shape)``.
    """
    h = np.asarray(cell, float) / max(cell)
    x, y, z = (((np.arange(-1, m + 1) * ha)).reshape([-1 if a == b else 1 for b in range(3)])
               for a, (m, ha) in enumerate(zip(shape, h)))
    # Nyy, Nzz, Nxz, Nyz follow from f and g with permuted arguments.
    parts = (newell_f(x, y, z), newell_f(y, x, z), newell_f(z, y, x),
             newell_g(x, y, z), newell_g(x, z, y), newell_g(y, z, x))
    full = tuple(m + 2 for m in shape)
    pre = 1.0 / (4.0 * math.pi * float(np.prod(h)))
    return np.stack([pre * _second_difference(np.broadcast_to(F, full)) for F in parts])


def dipole_grid(ix, iy, iz, cell, nodes=GAUSS_NODES, weights=GAUSS_WEIGHTS):
    """Point-dipole tensor averaged over the relative displacement of two cells.

    ``ix, iy, iz`` are 1-D integer displacement indices (in cells); the result, shape
    ``(6, len(ix), len(iy), len(iz))``, is on their outer product. The average uses the
    product of a 1-D rule (``nodes``, ``weights``) for the weight (1 - |t|) on [-1, 1].
    Invalid (infinite) at zero displacement.
    """
    h = np.asarray(cell, float) / max(cell)
    idx = [np.asarray(i, float) for i in (ix, iy, iz)]
    rules = []
    for i in idx:
        if np.all(i == 0) and _symmetric(nodes, weights):
            # every component is even or odd in this axis: fold +-t into one node
            rules.append([(t, 2 * w if t > 0 else w) for t, w in zip(nodes, weights) if t >= 0])
        else:
            rules.append(list(zip(nodes, weights)))
    # components odd in a folded axis vanish
    folded = [len(r) != len(nodes) for r in rules]
    active = [c for c in range(6) if not any(o and f for o, f in zip(ODD[c], folded))]
    out = np.zeros((6,) + tuple(len(i) for i in idx))
    chunk = max(1, 2 ** 16 // max(1, len(idx[1]) * len(idx[2])))
    with np.errstate(divide="ignore", invalid="ignore"):
        for start in range(0, len(idx[0]), chunk):
            sl = slice(start, start + chunk)
            out[:, sl] = _dipole_chunk(idx[0][sl], idx[1], idx[2], h, rules, active)
    return out


def _symmetric(nodes, weights):
    """True when the rule is symmetric about 0 (then +-t may be folded into one node)."""
    rule = sorted(zip(nodes, weights))
    return all(math.isclose(t, -u) and math.isclose(w, v) for (t, w), (u, v) in zip(rule, rule[::-1]))


def _dipole_chunk(ix, iy, iz, h, rules, active):
    """The averaged dipole tensor on one slab of x displacements (see dipole_grid)."""
    shape = (len(ix), len(iy), len(iz))
    # S[c] accumulates sum_nodes w * a_i a_j / r^5 for component c = (i, j)
    S = np.zeros((6,) + shape)
    r2 = np.empty(shape)
    wr5 = np.empty(shape)
    tmp = np.empty(shape)
    pairs = ((0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2))
    for tx, wx in rules[0]:
        ax = ((ix + tx) * h[0])[:, None, None]
        for ty, wy in rules[1]:
            ay = ((iy + ty) * h[1])[None, :, None]
            for tz, wz in rules[2]:
                az = ((iz + tz) * h[2])[None, None, :]
                a = (ax, ay, az)
                np.add(ax * ax + ay * ay, az * az, out=r2)
                np.sqrt(r2, out=wr5)
                wr5 *= r2
                wr5 *= r2
                np.divide(wx * wy * wz, wr5, out=wr5)  # w / r^5
                for c in active:
                    i, j = pairs[c]
                    np.multiply(wr5, a[i] * a[j], out=tmp)
                    S[c] += tmp
    # N_ij = V/(4 pi) * (delta_ij r^2 - 3 a_i a_j) / r^5, with sum_i S_ii = sum w / r^3
    pre = float(np.prod(h)) / (4.0 * math.pi)
    trace = S[0] + S[1] + S[2]
    N = -3.0 * pre * S
    N[:3] += pre * trace
    return N


def point_dipole(x, y, z, cell):
    """Tensor of a point dipole of the cell's volume at displacement (x, y, z) (cell units).

    Returns the 6 components, broadcast over the inputs.
    """
    h = np.asarray(cell, float) / max(cell)
    a = [np.asarray(v, float) * ha for v, ha in zip((x, y, z), h)]
    r2 = a[0] ** 2 + a[1] ** 2 + a[2] ** 2
    pre = float(np.prod(h)) / (4.0 * math.pi) / r2 ** 2.5
    return np.stack(np.broadcast_arrays(*[pre * ((i == j) * r2 - 3.0 * a[i] * a[j])
                                          for i, j in ((0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2))]))


def tensor_grid(shape, cell):
    """Demag tensor at displacements ``0 <= i < shape[0]`` etc. (cells), shape ``(6, *shape)``.

    Newell's form inside ``crossover_radius(cell)``, the averaged dipole outside.
    """
    h = np.asarray(cell, float) / max(cell)
    rc = crossover_radius(cell)
    N = dipole_grid(*(np.arange(m) for m in shape), cell)
    box = tuple(min(m, int(math.ceil(rc / ha))) for m, ha in zip(shape, h))
    near = newell_grid(box, cell)
    x, y, z = np.meshgrid(*(np.arange(m) * ha for m, ha in zip(box, h)), indexing="ij")
    inside = np.sqrt(x * x + y * y + z * z) < rc
    region = (slice(None),) + tuple(slice(0, m) for m in box)
    N[region] = np.where(inside, near, N[region])
    return N


def _periodic_plan(n, p):
    """Source indices and coefficients folding the periodic images of one axis.

    Returns ``idx``, ``even``, ``odd`` of shape (n, 2p+1): kernel index i is the sum over
    images t of ``coef[i, t] * base[idx[i, t]]``, ``coef`` being ``even`` or ``odd`` by
    the component's parity along this axis; ``base`` holds non-negative displacements.
    """
    i = np.arange(n)
    w = np.where(i <= n // 2, i, i - n)  # minimal image
    d = w[:, None] + n * np.arange(-p, p + 1)[None, :]
    odd = np.sign(d).astype(float)
    if n % 2 == 0:
        # at i = n/2 the two nearest images are equally far: averaging them cancels
        # the odd components there and keeps the kernel's spectrum real
        odd[n // 2] = 0.0
    return np.abs(d), np.ones(d.shape), odd


def _fold(a, idx, coef, axis):
    """Sum over t of ``coef[:, t] * a.take(idx[:, t], axis)`` (broadcast along ``axis``)."""
    shape = [1] * a.ndim
    shape[axis] = -1
    out = np.zeros(a.shape[:axis] + (idx.shape[0],) + a.shape[axis + 1:])
    for t in range(idx.shape[1]):
        out += np.take(a, idx[:, t], axis=axis) * coef[:, t].reshape(shape)
    return out


def _open_segments(n):
    """(destination, source, mirrored) slices of an open axis of the FFT kernel.

    The kernel index i < n holds displacement i; i > n holds i - 2n, the mirror image
    of displacement 2n - i; index n stays zero.
    """
    if n == 1:
        return [(slice(0, 1), slice(0, 1), False)]
    return [(slice(0, n), slice(0, n), False), (slice(n + 1, 2 * n), slice(n - 1, 0, -1), True)]


_MAX_BASE_POINTS = 2 ** 28


@functools.lru_cache(maxsize=4)
def _kernel(n, cell, pbc):
    plans = [_periodic_plan(m, p) if p else None for m, p in zip(n, pbc)]
    extent = tuple(m if p == 0 else p * m + m // 2 + 1 for m, p in zip(n, pbc))
    if np.prod(extent, dtype=float) > _MAX_BASE_POINTS:
        raise MeshError(f"the demag kernel of mesh n={n} with pbc={pbc} needs the tensor at "
                        f"{np.prod(extent, dtype=float):.3g} displacements; use fewer cells or periodic images")
    base = tensor_grid(extent, cell)
    size = tuple(m if (p or m == 1) else 2 * m for m, p in zip(n, pbc))
    kernel = np.zeros((6,) + size)
    segments = [_open_segments(m) if p == 0 else [(slice(None), slice(None), False)]
                for m, p in zip(n, pbc)]
    for c in range(6):
        a = base[c]
        for axis, plan in enumerate(plans):
            if plan is not None:
                idx, even, odd = plan
                a = _fold(a, idx, odd if ODD[c][axis] else even, axis)
        if not a.any():
            continue  # e.g. xz, yz of a single layer: leave untouched zero pages alone
        for combo in itertools.product(*segments):
            dst = tuple(seg[0] for seg in combo)
            src = tuple(seg[1] for seg in combo)
            flips = sum(seg[2] and odd for seg, odd in zip(combo, ODD[c]))
            np.multiply(a[src], (-1.0) ** flips, out=kernel[c][dst])
    kernel.flags.writeable = False
    return kernel


def demag_kernel(n, cell, pbc=(0, 0, 0)):
    """Demag tensor on the displacement grid of the FFT convolution, float64.

    ``n``: cells per axis; ``cell``: cell size (any length unit, only ratios matter);
    ``pbc``: periodic images per side along each axis. Returns a read-only array of
    shape ``(6, Kx, Ky, Kz)``, components ``COMPONENTS``. Along an open axis with n > 1,
    K = 2n and index i is displacement i (i < n) or i - 2n (i > n), index n is zero;
    along an axis with n == 1, K = 1; along a periodic axis K = n, index i is the
    minimal-image displacement w(i) (i or i - n) summed over images w(i) + k n,
    |k| <= p. Cached for a few meshes (cell sizes are compared after scaling by the
    largest edge).
    """
    n = tuple(int(v) for v in n)
    cell = tuple(float(v) for v in cell)
    pbc = tuple(int(v) for v in pbc)
    if len(n) != 3 or len(cell) != 3 or len(pbc) != 3:
        raise MeshError(f"n, cell and pbc need 3 entries each, got n={n}, cell={cell}, pbc={pbc}")
    if min(n) < 1 or min(pbc) < 0 or not all(math.isfinite(c) and c > 0 for c in cell):
        raise MeshError(f"invalid mesh for the demag kernel: n={n}, cell={cell}, pbc={pbc}")
    h = max(cell)
    return _kernel(n, tuple(c / h for c in cell), pbc)
