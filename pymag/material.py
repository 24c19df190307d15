"""Material dicts: key validation, mumax3 aliases, and painting regions into per-cell tensors.

Keys (SI): ``Ms`` (A/m), ``A`` (J/m), ``alpha`` (1), ``Ku`` and ``Ku2`` (J/m^3), ``Ku_axis``
(unit vector), ``Kc``, ``Kc2`` and ``Kc3`` (J/m^3), ``Kc_axes`` (two orthogonal unit vectors),
``D`` (interfacial DMI, J/m^2), ``D_bulk`` (J/m^2), ``gamma`` (m/(A s)); where a region
leaves out ``gamma``, ``Ku2``, ``Kc2`` or ``Kc3`` it takes the value in ``DEFAULTS``. Any
other key that a term of the system reads (e.g. a symbolic term's ``K4``) is accepted. A
value is a number, a tensor (it may require gradients), a per-cell array of the mesh's
shape, or a callable resolved by its argument names (``pymag.params``): the cell-centre
coordinates ``x, y, z`` (m, numpy arrays), the time ``t`` (s), named parameters and the
region's other material keys.
"""
import numpy as np
import torch

from .autodiff import as_tensor
from .errors import MaterialError, MissingParameterError, ShapeMismatchError
from .params import Scope

SCALAR_KEYS = ("Ms", "A", "alpha", "Ku", "Ku2", "Kc", "Kc2", "Kc3", "D", "D_bulk", "gamma")
VECTOR_KEYS = {"Ku_axis": 1, "Kc_axes": 2}          # key -> number of 3-vectors
KNOWN_KEYS = SCALAR_KEYS + tuple(VECTOR_KEYS)
NONNEGATIVE = {"Ms", "A", "alpha", "gamma"}
UNITS = {"Ms": "A/m", "A": "J/m", "alpha": "", "Ku": "J/m^3", "Ku2": "J/m^3", "Kc": "J/m^3", "Kc2": "J/m^3",
         "Kc3": "J/m^3", "D": "J/m^2", "D_bulk": "J/m^2", "gamma": "m/(A s)", "Ku_axis": "", "Kc_axes": ""}
ALIASES = {"Msat": "Ms", "Aex": "A", "Ku1": "Ku", "anisU": "Ku_axis", "Kc1": "Kc",
           "Dind": "D", "Dbulk": "D_bulk"}
DEFAULTS = {"gamma": 2.211e5, "Ku2": 0.0, "Kc2": 0.0, "Kc3": 0.0}
STATIC_KEYS = ("Ms",)    # keys that decide which cells are magnetic cannot depend on time


def canonical(material, where):
    """Return ``material`` with aliases resolved (``where`` names the region). Keys that pymag
    does not know are kept: they are checked when the system is assembled, against the keys
    its terms read (``check_keys``)."""
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
        if not isinstance(key, str) or not key.isidentifier():
            raise MaterialError(f"material key {key!r} in {where} is not a name")
        name = ALIASES.get(key, key)
        if name in out:
            raise MaterialError(f"{where} gives {name!r} twice (once through an alias)")
        out[name] = value
    if axes:
        if set(axes) != {"anisC1", "anisC2"} or "Kc_axes" in out:
            raise MaterialError(f"{where}: give both anisC1 and anisC2 (or Kc_axes), not a mix")
        out["Kc_axes"] = (axes["anisC1"], axes["anisC2"])
    return out


def check_keys(regions, read):
    """MaterialError for a key of a region (name, material) that pymag does not know and no
    term of the system reads (``read``: the keys the terms read)."""
    for name, material in regions:
        for key in material:
            if key not in KNOWN_KEYS and key not in read:
                known = ", ".join(list(KNOWN_KEYS) + list(ALIASES) + ["anisC1", "anisC2"])
                extra = f"; keys read by this system's terms: {', '.join(sorted(read))}" if read else ""
                raise MaterialError(f"unknown material key {key!r} in region {name!r}; known keys: {known}{extra}")


class MaterialMap:
    """Per-cell material values of the regions, painted in order (later regions override
    earlier ones) at the time ``resolver.t``, as tensors of ``dtype`` on ``device``.

    ``regions``: list of (mask, material, name) with a numpy bool mask of the mesh's shape.
    Values that do not depend on time are computed once and shared with ``at(t)``.
    """

    def __init__(self, mesh, regions, resolver, dtype, device):
        self.mesh = mesh
        self.resolver = resolver
        self.dtype, self.device = dtype, device
        self.region = np.full(mesh.n, -1, dtype=np.int32)      # -1: outside every region
        self.region_names = [name for _, _, name in regions]
        for index, (mask, _, _) in enumerate(regions):
            self.region[mask] = index
        # each region's cells: those it was painted on last
        self._regions = [(self.region == index, material, Scope(material, f"region {name!r}"))
                         for index, (_, material, name) in enumerate(regions)]
        self._masks = [torch.as_tensor(mask, device=device) for mask, _, _ in self._regions]
        self._static = {}                                       # key -> (tensor, defined mask)
        self._current = {}
        self.dynamic = set()

    def keys(self):
        """Every key some region defines."""
        return sorted({k for _, material, _ in self._regions for k in material})

    def evaluate_all(self):
        """Evaluate every key of every region once: bad values, missing names and cycles raise
        here, and the time-dependent keys are found."""
        for key in self.keys():
            self.values(key)
        for key in STATIC_KEYS:
            if key in self.dynamic:
                raise MaterialError(f"{key} cannot depend on time: it decides which cells are magnetic")

    def at(self, resolver):
        """The same map at the time of ``resolver``: time-dependent keys are evaluated again."""
        out = object.__new__(MaterialMap)
        out.__dict__.update(self.__dict__)
        out.resolver = resolver
        out._current = {}
        return out

    def values(self, key):
        """(tensor, defined): the values of ``key`` on every cell (zero where no region defines
        it) and the numpy mask of cells whose region defines it."""
        if key in self._static:
            return self._static[key]
        if key in self._current:
            return self._current[key]
        shape = (VECTOR_KEYS[key], 3) + self.mesh.n if key in VECTOR_KEYS else self.mesh.n
        out = torch.zeros(shape, dtype=self.dtype, device=self.device)
        defined = np.zeros(self.mesh.n, dtype=bool)
        dynamic = False
        for (mask, material, scope), mask_t in zip(self._regions, self._masks):
            if key not in material or not mask.any():
                continue
            where = f"{key} of {scope.where}"
            value, dyn = self.resolver.evaluate(material[key], where, scope)
            dynamic = dynamic or dyn
            value = self._check(key, value, mask_t, where)
            out = torch.where(mask_t, value, out)
            defined |= mask
        if dynamic:
            self.dynamic.add(key)
            self._current[key] = (out, defined)
        else:
            self._static[key] = (out, defined)
        return out, defined

    def _check(self, key, value, mask, where):
        if key in VECTOR_KEYS:
            return self._axes(key, value, mask, where)
        arr = self._as_tensor(value, key, where)
        if arr.dim() != 0 and tuple(arr.shape) != self.mesh.n:
            raise ShapeMismatchError(f"{key} of {where} has shape {tuple(arr.shape)}, the mesh has {self.mesh.n} cells")
        vals = arr.detach().expand(self.mesh.n)[mask]
        if not bool(torch.isfinite(vals).all()):
            raise MaterialError(f"{where} contains NaN or infinite values")
        if key in NONNEGATIVE and bool((vals < 0).any()):
            unit = f" {UNITS[key]}" if UNITS[key] else ""
            raise MaterialError(f"{where} must be >= 0{unit}, got min {float(vals.min()):g}")
        if key == "gamma" and bool((vals == 0).any()):
            raise MaterialError(f"{where} must be > 0 m/(A s)")
        return arr

    def _axes(self, key, value, mask, where):
        count = VECTOR_KEYS[key]
        vectors = [value] if count == 1 else list(value)
        if len(vectors) != count:
            raise MaterialError(f"{where} needs {count} vectors, got {len(vectors)}")
        n = self.mesh.n
        out = []
        for v in vectors:
            arr = self._as_tensor(v, key, where)
            if tuple(arr.shape) == (3,):
                arr = arr.reshape(3, 1, 1, 1)
            elif tuple(arr.shape) != (3,) + n:
                raise ShapeMismatchError(f"{where} must be a 3-vector or an array of shape {(3,) + n}, "
                                         f"got {tuple(arr.shape)}")
            length = arr.norm(dim=0, keepdim=True)
            vals = length.detach().expand((1,) + n)[0][mask]
            if not bool(torch.isfinite(vals).all()) or bool((vals == 0).any()):
                raise MaterialError(f"{where} must be finite and non-zero")
            out.append((arr / length).expand((3,) + n))
        if count == 2 and bool(((out[0] * out[1]).sum(0).detach()[mask].abs() > 1e-6).any()):
            raise MaterialError(f"the two cubic axes of {where.split(' of ', 1)[1]} must be orthogonal")
        return torch.stack(out)

    def _as_tensor(self, value, key, where):
        try:
            return as_tensor(value, self.dtype, self.device)
        except (TypeError, ValueError):
            raise MaterialError(f"{where} must be a number, an array or a tensor, got {type(value).__name__}") from None

    def get(self, key, cells, needed_by):
        """Per-cell values of ``key`` (zero where the numpy mask ``cells`` is False).

        Raises MissingParameterError naming the region when a cell in ``cells`` lacks the key.
        """
        if key in DEFAULTS and not self.has(key):
            return torch.where(torch.as_tensor(cells, device=self.device),
                               torch.tensor(DEFAULTS[key], dtype=self.dtype, device=self.device),
                               torch.zeros((), dtype=self.dtype, device=self.device))
        if self.has(key):
            arr, defined = self.values(key)
        else:
            arr, defined = torch.zeros((), dtype=self.dtype, device=self.device), np.zeros(self.mesh.n, dtype=bool)
        missing = cells & ~defined
        if key in DEFAULTS and missing.any():
            arr = torch.where(torch.as_tensor(missing, device=self.device),
                              torch.tensor(DEFAULTS[key], dtype=self.dtype, device=self.device), arr)
        elif missing.any():
            region = self.region_names[int(self.region[missing][0])]
            unit = f" ({UNITS[key]})" if UNITS.get(key) else ""
            raise MissingParameterError(
                f"{needed_by} needs material key {key!r}{unit} but region {region!r} does not define it")
        return torch.where(torch.as_tensor(cells, device=self.device), arr, torch.zeros((), dtype=self.dtype,
                                                                                         device=self.device))

    def has(self, key):
        """True when some region defines ``key``."""
        return any(key in material and mask.any() for mask, material, _ in self._regions)
