"""Initial magnetization states.

``System(m=...)`` accepts a uniform tuple, a callable of the cell-centre coordinates
``(x, y, z)`` (m) returning three arrays, an array of shape ``(3, nx, ny, nz)``, or one
of the generators below (a callable of the mesh).
"""
import numpy as np

from .errors import ShapeMismatchError, StateError


class State:
    """A state generator: called with a Mesh, returns a (3, nx, ny, nz) numpy array."""

    def __init__(self, make, description):
        self._make = make
        self._description = description

    def __call__(self, mesh):
        return self._make(mesh)

    def __repr__(self):
        return f"pm.init.{self._description}"


def uniform(direction, noise=0.0, seed=None):
    """Every cell along ``direction`` (any non-zero 3-vector). ``noise`` > 0 adds to each cell
    independent Gaussian components of that rms (dimensionless, relative to |direction| = 1)
    before normalising, seeded by ``seed``: a nearly saturated start that, like a real sample's
    imperfections, breaks every symmetry of the film, so that a sweep leaves a symmetric
    saddle by its first instability instead of by the one its start happens to excite."""
    v = np.asarray(direction, dtype=float)
    if noise and not (noise > 0 and v.shape == (3,) and np.linalg.norm(v) > 0):
        raise StateError(f"a noisy uniform start needs a non-zero 3-vector and noise > 0, got {direction!r}, {noise!r}")

    def make(mesh):
        m = np.broadcast_to(v.reshape(3, 1, 1, 1), (3,) + mesh.n).copy()
        if not noise:
            return m
        m = m / np.linalg.norm(v) + noise * np.random.default_rng(seed).normal(size=m.shape)
        return m / np.linalg.norm(m, axis=0)
    text = f"uniform({tuple(v)}" + (f", noise={noise}, seed={seed})" if noise else ")")
    return State(make, text)


def random(seed=None):
    """Independent directions uniformly distributed on the unit sphere, one per cell."""
    def make(mesh):
        v = np.random.default_rng(seed).normal(size=(3,) + mesh.n)
        return v / np.linalg.norm(v, axis=0)
    return State(make, f"random(seed={seed})")


def random_blocks(block, seed=None):
    """Blocks of ``block`` x ``block`` cells (all layers), each along one random in-plane
    direction: the NeuralMAG paper's random start. ``block`` may be an (bx, by) pair."""
    bx, by = (block, block) if np.isscalar(block) else block
    if bx < 1 or by < 1:
        raise StateError(f"block size must be >= 1 cell, got {block}")

    def make(mesh):
        nx, ny, nz = mesh.n
        gx, gy = -(-nx // bx), -(-ny // by)
        phi = np.random.default_rng(seed).uniform(0, 2 * np.pi, size=(gx, gy))
        phi = np.repeat(np.repeat(phi, bx, axis=0), by, axis=1)[:nx, :ny]
        m = np.stack([np.cos(phi), np.sin(phi), np.zeros_like(phi)])
        return np.repeat(m[..., None], nz, axis=3)
    return State(make, f"random_blocks({block}, seed={seed})")


def vortex(center=(0.0, 0.0), circulation=1, polarity=1, core_radius=10e-9):
    """A vortex around ``center`` (x, y in m): in-plane curl counterclockwise seen from +z
    for ``circulation=+1``, core m_z sign ``polarity``, core radius ``core_radius`` (m)."""
    if circulation not in (1, -1) or polarity not in (1, -1):
        raise StateError("circulation and polarity must each be +1 or -1")

    def make(mesh):
        x, y, _ = mesh.coordinates()
        dx, dy = x - center[0], y - center[1]
        r = np.hypot(dx, dy)
        phi = np.arctan2(dy, dx) + circulation * np.pi / 2
        mz = polarity * np.exp(-(r / core_radius) ** 2)
        s = np.sqrt(1 - mz ** 2)
        return np.stack([s * np.cos(phi), s * np.sin(phi), mz])
    return State(make, f"vortex(center={center}, circulation={circulation}, polarity={polarity})")


def resolve(spec, mesh):
    """Turn any accepted initial-state ``spec`` into a (3, nx, ny, nz) float64 numpy array
    of unit vectors (zero vectors allowed only where the caller masks them out)."""
    if isinstance(spec, State):
        arr = spec(mesh)
    elif callable(spec):
        arr = spec(*mesh.coordinates())
        arr = np.stack([np.broadcast_to(np.asarray(c, dtype=float), mesh.n) for c in arr])
    else:
        arr = np.asarray(spec.detach().cpu().numpy() if hasattr(spec, "detach") else spec, dtype=float)
        if arr.shape == (3,):
            arr = uniform(arr)(mesh)
    if arr.shape != (3,) + mesh.n:
        raise ShapeMismatchError(f"initial magnetization has shape {arr.shape}, expected {(3,) + mesh.n}")
    if not np.all(np.isfinite(arr)):
        raise StateError("initial magnetization contains NaN or infinite values")
    norm = np.linalg.norm(arr, axis=0)
    return np.divide(arr, norm, out=np.zeros_like(arr), where=norm > 0)
