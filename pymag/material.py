"""Material dicts: key validation, mumax3 aliases, and painting regions into per-cell arrays.

Keys (SI): ``Ms`` (A/m), ``A`` (J/m), ``alpha`` (1), ``Ku`` (J/m^3), ``Ku_axis`` (unit
vector), ``Kc`` (J/m^3), ``Kc_axes`` (two orthogonal unit vectors), ``D`` (interfacial
DMI, J/m^2), ``D_bulk`` (J/m^2), ``gamma`` (m/(A s)). A value is a number, a per-cell
array of the mesh's shape, or a vectorized callable of the cell-centre coordinates
``(x, y, z)`` in metres.
"""
import numpy as np

from .errors import MaterialError, MissingParameterError, ShapeMismatchError

SCALAR_KEYS = ("Ms", "A", "alpha", "Ku", "Kc", "D", "D_bulk", "gamma")
VECTOR_KEYS = {"Ku_axis": 1, "Kc_axes": 2}          # key -> number of 3-vectors
NONNEGATIVE = {"Ms", "A", "alpha", "gamma"}
UNITS = {"Ms": "A/m", "A": "J/m", "alpha": "", "Ku": "J/m^3", "Kc": "J/m^3",
         "D": "J/m^2", "D_bulk": "J/m^2", "gamma": "m/(A s)", "Ku_axis": "", "Kc_axes": ""}
ALIASES = {"Msat": "Ms", "Aex": "A", "Ku1": "Ku", "anisU": "Ku_axis", "Kc1": "Kc",
           "Dind": "D", "Dbulk": "D_bulk"}
DEFAULTS = {"gamma": 2.211e5}


def canonical(material, where):
    """Return ``material`` with aliases resolved and keys checked (``where`` names the region)."""
    if material is None:
        return {}
    if not isinstance(material, dict):
        raise MaterialError(f"material of {where} must be a dict of parameters, got {type(material).__name__}")
    out = {}
    axes = {}
    for key, value in material.items():
        if key in ("anisC1", "anisC2"):
            axes[key] = value
            continue
        name = ALIASES.get(key, key)
        if name not in SCALAR_KEYS and name not in VECTOR_KEYS:
            known = ", ".join(list(SCALAR_KEYS) + list(VECTOR_KEYS) + list(ALIASES) + ["anisC1", "anisC2"])
            raise MaterialError(f"unknown material key {key!r} in {where}; known keys: {known}")
        if name in out:
            raise MaterialError(f"{where} gives {name!r} twice (once through an alias)")
        out[name] = value
    if axes:
        if set(axes) != {"anisC1", "anisC2"} or "Kc_axes" in out:
            raise MaterialError(f"{where}: give both anisC1 and anisC2 (or Kc_axes), not a mix")
        out["Kc_axes"] = (axes["anisC1"], axes["anisC2"])
    return out


def evaluate(key, value, coords, mask, where):
    """Values of ``key`` on the cells where ``mask`` is True: shape (ncells,) or (k, 3, ncells)."""
    n = mask.shape
    if callable(value):
        value = value(*coords)
    if key in VECTOR_KEYS:
        return _evaluate_axes(key, value, n, mask, where)
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    elif arr.shape != n:
        raise ShapeMismatchError(f"{key} of {where} has shape {arr.shape}, the mesh has {n} cells")
    vals = arr[mask]
    if not np.all(np.isfinite(vals)):
        raise MaterialError(f"{key} of {where} contains NaN or infinite values")
    if key in NONNEGATIVE and np.any(vals < 0):
        raise MaterialError(f"{key} of {where} must be >= 0 {UNITS[key]}, got min {vals.min():g}")
    if key == "gamma" and np.any(vals == 0):
        raise MaterialError(f"gamma of {where} must be > 0 m/(A s)")
    return vals


def _evaluate_axes(key, value, n, mask, where):
    count = VECTOR_KEYS[key]
    vectors = [value] if count == 1 else list(value)
    if len(vectors) != count:
        raise MaterialError(f"{key} of {where} needs {count} vectors, got {len(vectors)}")
    out = []
    for v in vectors:
        arr = np.asarray(v, dtype=float)
        if arr.shape == (3,):
            arr = np.broadcast_to(arr.reshape(3, 1, 1, 1), (3,) + n)
        if arr.shape != (3,) + n:
            raise ShapeMismatchError(f"{key} of {where} must be a 3-vector or an array of shape {(3,) + n}, got {arr.shape}")
        vals = arr[:, mask]
        norm = np.linalg.norm(vals, axis=0)
        if not np.all(np.isfinite(vals)) or np.any(norm == 0):
            raise MaterialError(f"{key} of {where} must be finite and non-zero")
        out.append(vals / norm)
    if count == 2:
        c1, c2 = out
        if np.any(np.abs(np.sum(c1 * c2, axis=0)) > 1e-6):
            raise MaterialError(f"the two cubic axes of {where} must be orthogonal")
    return np.stack(out)


class MaterialMap:
    """Per-cell material values painted region by region; later regions override earlier ones."""

    def __init__(self, mesh):
        self.mesh = mesh
        self.coords = mesh.coordinates()
        self.region = np.full(mesh.n, -1, dtype=np.int32)      # -1: outside every region
        self.region_names = []
        self.values = {}                                        # key -> (array, defined-mask)

    def paint(self, mask, material, name):
        """Assign ``material`` (a canonical dict) to the cells where ``mask`` is True."""
        where = f"region {name!r}"
        index = len(self.region_names)
        self.region_names.append(name)
        self.region[mask] = index
        for key in set(self.values) | set(material):
            arr, defined = self._slot(key)
            if key in material:
                vals = evaluate(key, material[key], self.coords, mask, where)
                arr[..., mask] = vals
                defined[mask] = True
            else:
                defined[mask] = False

    def _slot(self, key):
        if key not in self.values:
            shape = (VECTOR_KEYS[key], 3) + self.mesh.n if key in VECTOR_KEYS else self.mesh.n
            self.values[key] = (np.zeros(shape), np.zeros(self.mesh.n, dtype=bool))
        return self.values[key]

    def get(self, key, cells, needed_by):
        """Per-cell values of ``key`` (zero where ``cells`` is False).

        Raises MissingParameterError naming the region when a cell in ``cells`` lacks the key.
        """
        if key in DEFAULTS and key not in self.values:
            return np.where(cells, DEFAULTS[key], 0.0)
        arr, defined = self.values.get(key, (None, np.zeros(self.mesh.n, dtype=bool)))
        missing = cells & ~defined
        if key in DEFAULTS and arr is not None:
            arr = np.where(missing, DEFAULTS[key], arr)
        elif missing.any():
            region = self.region_names[int(self.region[missing][0])]
            unit = f" ({UNITS[key]})" if UNITS[key] else ""
            raise MissingParameterError(
                f"{needed_by} needs material key {key!r}{unit} but region {region!r} does not define it")
        return np.where(cells, arr, 0.0)

    def has(self, key):
        """True when some region defines ``key``."""
        return key in self.values and bool(self.values[key][1].any())
