"""A ``micromagneticmodel.System`` as a pymag System, in the same process.

The mesh becomes a ``pm.Mesh`` (pymag centres it on the origin), every subregion a
``pm.Region``; scalar, per-subregion (dict, with ``"default"`` for the cells of no subregion)
and ``discretisedfield.Field`` parameters become per-cell arrays of the base material;
``"a:b"`` keys of exchange and DMI become their ``interfaces``. Energy terms map one to one
(DMI crystal classes to ``pm.DMI`` kinds, RKKY to ``pm.InterlayerExchange``), dynamics terms
to the LLG parameters and the spin-torque terms, ``system.T`` to ``pm.Thermal``. A term
pymag has no counterpart for raises a PymagError naming it.
"""
import numbers

import numpy as np

import pymag as pm

from ..errors import PymagError
from ..io.fields import from_field
from ..units import muB, qe
from .timefunc import applied, given, scale_function

DMI_KINDS = {"Cnv_x": ("cnv_x", "D_cnv"), "Cnv_y": ("cnv_y", "D_cnv"), "Cnv_z": ("cnv_z", "D_cnv"),
             "Cnv": ("cnv_z", "D_cnv"), "T": ("bulk", "D_bulk"), "O": ("bulk", "D_bulk"),
             "D2d_x": ("d2d_x", "D_d2d"), "D2d_y": ("d2d_y", "D_d2d"), "D2d_z": ("d2d_z", "D_d2d"),
             "D2d": ("d2d_z", "D_d2d")}


class Translation:
    """pymag's view of one ``micromagneticmodel.System``.

    Parameters
    ----------
    system : micromagneticmodel.System
        The system; its ``m`` (a ``discretisedfield.Field``, A/m) gives the mesh, Ms = |m|
        and the initial direction.

    Attributes
    ----------
    mesh, m, Ms, centre
        The ``pymag.io.from_field`` view of ``system.m``.
    pm_system : pymag.System
        The system to drive; its terms carry the ubermag names.
    precession : bool
        Whether the dynamics have a precession term.
    frozen : numpy bool array
        Cells whose gyromagnetic ratio is zero: they do not move in time drives.
    zeeman : dict
        ubermag name -> callable of t (s) giving the applied field (A/m, a 3-vector mean over
        the magnet) for the table's B columns.
    """

    def __init__(self, system):
        self.mesh, self.m, self.Ms, self.centre = from_field(system.m)
        self.subregions = dict(system.m.mesh.subregions)
        self.shapes = {name: self._shape(region) for name, region in self.subregions.items()}
        self.masks = {name: shape.mask(self.mesh) for name, shape in self.shapes.items()}
        self.material = {"Ms": self.Ms}
        self.terms = []
        self.frozen = np.zeros(self.mesh.n, dtype=bool)
        self.precession = False
        self.zeeman = {}
        for term in system.energy:
            self._energy_term(term)
        self._dynamics(system.dynamics)
        if float(system.T) > 0:
            self.terms.append(pm.Thermal(T=float(system.T), name="thermal"))
        self.pm_system = pm.System(self.mesh, material=self.material, terms=self.terms, m=self.m,
                                   regions=[pm.Region(shape, {}, name) for name, shape in self.shapes.items()])

    def freeze(self):
        """Fix the cells whose gamma0 is zero (for time drives: they do not move)."""
        if self.frozen.any():
            self.pm_system.fix(pm.Shape.from_function(self._cells(self.frozen)))

    # ----- geometry ----------------------------------------------------------------------
    def _shape(self, region):
        size = np.asarray(region.pmax) - np.asarray(region.pmin)
        centre = (np.asarray(region.pmin) + np.asarray(region.pmax)) / 2 - self.centre
        return pm.Cuboid(size=tuple(size)).translate(*centre)

    def _cells(self, mask):
        """A predicate of pymag coordinates: True in the cells of ``mask``."""
        mesh = self.mesh

        def inside(x, y, z):
            index = [np.clip(np.floor(c / mesh.cell[a] + mesh.n[a] / 2).astype(int), 0, mesh.n[a] - 1)
                     for a, c in enumerate((x, y, z))]
            return mask[tuple(index)]
        return inside

    # ----- parameters ----------------------------------------------------------------------
    def cells(self, value, where, vector=False):
        """Per-cell numpy array (mesh shape, or (3,) + shape for vectors) of an ubermag value:
        a number, a vector, a dict per subregion or a ``discretisedfield.Field``."""
        shape = ((3,) if vector else ()) + self.mesh.n
        if isinstance(value, dict):
            out = np.zeros(shape)
            rest = np.ones(self.mesh.n, dtype=bool)
            for key, v in value.items():
                if ":" in key or key == "default":
                    continue
                if key not in self.masks:
                    raise PymagError(f"{where}: no subregion {key!r}; subregions: {sorted(self.masks)}")
                out[..., self.masks[key]] = self._constant(v, where, vector)[..., None]
                rest &= ~self.masks[key]
            if "default" in value:
                out[..., rest] = self._constant(value["default"], where, vector)[..., None]
            return out
        if hasattr(value, "mesh") and hasattr(value, "array"):
            if tuple(int(v) for v in value.mesh.n) != self.mesh.n:
                raise PymagError(f"{where}: the field is on a mesh of {tuple(value.mesh.n)} cells, m on {self.mesh.n}")
            arr = np.asarray(value.array, dtype=float)
            if vector and arr.shape[-1] == 3:
                return np.moveaxis(arr, -1, 0)
            if not vector and arr.shape[-1] == 1:
                return arr[..., 0]
            raise PymagError(f"{where}: needs a field of {3 if vector else 1} components, got {arr.shape[-1]}")
        return np.broadcast_to(self._constant(value, where, vector)[(...,) + (None,) * 3], shape).copy()

    @staticmethod
    def _constant(value, where, vector):
        arr = np.asarray(value, dtype=float)
        if arr.shape != ((3,) if vector else ()) or not np.all(np.isfinite(arr)):
            kind = "a 3-vector" if vector else "a number"
            raise PymagError(f"{where} must be {kind}, a dict per subregion or a Field, got {value!r}")
        return arr

    def _set(self, key, value, where, vector=False):
        if key in self.material:
            raise PymagError(f"{where}: pymag takes one such term per system (material key {key!r} is set already)")
        self.material[key] = self.cells(value, where, vector)

    # ----- energy ---------------------------------------------------------------------------
    def _energy_term(self, term):
        kind = type(term).__name__
        where = f"{kind} {term.name!r}"
        method = getattr(self, f"_{kind.lower()}", None)
        if method is None:
            raise PymagError(f"pymag has no counterpart to the micromagneticmodel energy term {kind}")
        method(term, where)

    def _exchange(self, term, where):
        A = term.A
        self._set("A", A, where)
        self._add_named(pm.Exchange(interfaces=_pairs(A)), term.name)

    def _zeeman(self, term, where):
        H0 = self.cells(term.H, f"{where} H", vector=True)
        scale = scale_function(term, where, matrix=True)
        H = H0 if scale is None else (lambda t: applied(scale(float(t)), H0))
        self.terms.append(pm.Zeeman(H=H, name=term.name))
        magnet = self.Ms > 0
        mean = H0[:, magnet].mean(axis=1) if magnet.any() else np.zeros(3)
        self.zeeman[term.name] = (lambda t: mean) if scale is None else (lambda t: applied(scale(t), mean))

    def _uniaxialanisotropy(self, term, where):
        K1 = getattr(term, "K1", None)
        K = getattr(term, "K", None)
        first = K if given(K) else K1
        if not given(first):
            raise PymagError(f"{where} needs K (or K1), J/m^3")
        self._set("Ku", first, f"{where} K")
        K2 = getattr(term, "K2", None)
        if given(K2):
            self._set("Ku2", K2, f"{where} K2")
        self._set("Ku_axis", term.u, f"{where} u", vector=True)
        self._add_named(pm.UniaxialAnisotropy(), term.name)

    def _cubicanisotropy(self, term, where):
        self._set("Kc", term.K, f"{where} K")
        self.material["Kc_axes"] = (self.cells(term.u1, f"{where} u1", True), self.cells(term.u2, f"{where} u2", True))
        self._add_named(pm.CubicAnisotropy(), term.name)

    def _dmi(self, term, where):
        cls = term.crystalclass
        if cls not in DMI_KINDS:
            raise PymagError(f"{where}: unknown crystal class {cls!r}; pymag has {sorted(DMI_KINDS)}")
        kind, key = DMI_KINDS[cls]
        self._set(key, term.D, f"{where} D")
        self._add_named(pm.DMI(kind, interfaces=_pairs(term.D)), term.name)

    def _demag(self, term, where):
        # the exact Newell kernel: OOMMF's asymptotic_radius (where it switches to an
        # asymptotic expansion) has no counterpart and is not needed
        self._add_named(pm.Demag(), term.name)

    def _rkky(self, term, where):
        names = list(term.subregions)
        if len(names) != 2:
            raise PymagError(f"{where}: subregions must name two subregions, got {names!r}")
        a, b = names
        for name in names:
            if name not in self.subregions:
                raise PymagError(f"{where}: no subregion {name!r}; subregions: {sorted(self.subregions)}")
        lo = {k: np.asarray(self.subregions[k].pmin, dtype=float) for k in names}
        hi = {k: np.asarray(self.subregions[k].pmax, dtype=float) for k in names}
        # the axis along which the two subregions do not overlap: they face each other across it
        apart = [i for i in range(3) if hi[a][i] <= lo[b][i] or hi[b][i] <= lo[a][i]]
        axis = apart[0] if len(apart) == 1 else None
        i = axis if axis is not None else int(np.argmax(np.abs(lo[a] + hi[a] - lo[b] - hi[b])))
        top, bottom = (a, b) if lo[a][i] + hi[a][i] > lo[b][i] + hi[b][i] else (b, a)
        sigma2 = getattr(term, "sigma2", None)
        self._add_named(pm.InterlayerExchange(J1=float(term.sigma), J2=float(sigma2) if given(sigma2) else 0.0,
                                              top=top, bottom=bottom, axis=None if axis is None else "xyz"[axis]),
                        term.name)

    def _add_named(self, term, name):
        object.__setattr__(term, "name", name)
        self.terms.append(term)

    # ----- dynamics -------------------------------------------------------------------------
    def _dynamics(self, dynamics):
        gamma = alpha = None
        for term in dynamics:
            kind = type(term).__name__
            where = f"{kind} {term.name!r}"
            if kind == "Precession":
                gamma = self.cells(term.gamma0, f"{where} gamma0")
                self.precession = True
            elif kind == "Damping":
                alpha = self.cells(term.alpha, f"{where} alpha")
            elif kind == "ZhangLi":
                self._zhang_li(term, where)
            elif kind == "Slonczewski":
                self._slonczewski(term, where)
            else:
                raise PymagError(f"pymag has no counterpart to the micromagneticmodel dynamics term {kind}")
        if gamma is None:
            gamma = np.full(self.mesh.n, pm.units.gamma0)
        # cells with gamma0 = 0 do not move (OOMMF's LLG scales every term by gamma)
        self.frozen = (gamma == 0) & (self.Ms > 0)
        self.material["gamma"] = np.where(gamma == 0, pm.units.gamma0, gamma)
        self.material["alpha"] = np.zeros(self.mesh.n) if alpha is None else alpha

    def _zhang_li(self, term, where):
        u = term.u
        vector = not (isinstance(u, numbers.Real) or (isinstance(u, dict) and all(
            isinstance(v, numbers.Real) for v in u.values())) or getattr(u, "nvdim", 3) == 1)
        u = self.cells(u, f"{where} u", vector=vector)
        if not vector:   # a scalar drift velocity flows along x
            u = np.stack([u, np.zeros(self.mesh.n), np.zeros(self.mesh.n)])
        beta = float(term.beta)
        # ubermag's u moves a wall along u; pymag's drift velocity u_pm = P muB j/(e Ms (1 + beta^2))
        # (P = 1 here) moves it against j, so j = -u e Ms (1 + beta^2)/muB
        j0 = -u * (qe * (1 + beta * beta) / muB) * self.Ms
        self.terms.append(pm.ZhangLi(j=self._scaled(term, where, j0), P=1.0, beta=beta, name=term.name))

    def _slonczewski(self, term, where):
        j0 = self.cells(term.J, f"{where} J")
        values = {key: self.cells(getattr(term, key), f"{where} {key}") for key in ("P", "Lambda", "eps_prime")
                  if given(getattr(term, key, None))}
        self.terms.append(pm.Slonczewski(j=self._scaled(term, where, j0), p=self.cells(term.mp, f"{where} mp", True),
                                         name=term.name, **values))

    def _scaled(self, term, where, value):
        scale = scale_function(term, where)
        return value if scale is None else (lambda t: applied(scale(float(t)), value))


def _pairs(value):
    """The ``"r1:r2"`` entries of a dict parameter as pymag interfaces {("r1", "r2"): value}, or None."""
    if not isinstance(value, dict):
        return None
    return {tuple(key.split(":")): float(v) for key, v in value.items() if ":" in key} or None


