"""EnergyTerm: a pymag energy term defined by its energy density written in SymPy."""
import torch

from ..errors import PymagError
from ..terms._bonds import Bonds
from ..terms.base import Term
from ..terms._interfaces import override
from ..terms.exchange import harmonic_mean
from ..units import mu0
from . import forms
from .symbols import COORDINATES, MaterialSymbol, ParamSymbol, material


def arithmetic_mean(a, b):
    """(a+b)/2."""
    return 0.5 * (a + b)


BOND_MEANS = {"harmonic": harmonic_mean, "arithmetic": arithmetic_mean}


class EnergyTerm(Term):
    """An energy term given by its density e (J/m^3) in m, grad_m, material(...),
    param(...), t and x, y, z (see ``pymag.symbolic``).

    The field H = -1/(mu0 Ms) dE/dm (A/m), the energy E (J) and the energy density follow
    from e by the form compiler (``pymag.symbolic.forms``): local terms per cell, gradient
    terms on the bonds between magnetic neighbours (free surfaces, periodic axes wrap),
    as pm.Exchange discretizes its own. Build one with ``EnergyTerm.from_density(e, name)``;
    the term is a description (printable, comparable, immutable) and binds per-system tensors
    when a system is assembled.
    """

    shared = ("_bonds", "_form", "_density", "keys")
    _frozen = ("_form", "_density", "keys")
    _interfaces = {}   # material key -> {(region1, region2): value} set on bonds across regions

    def __init__(self, density, name="symbolic"):
        """The term of energy density ``density``; see ``from_density``."""
        if not isinstance(name, str) or not name:
            raise PymagError(f"an energy term needs a name (a non-empty string), got {name!r}")
        self._density = forms.scalar(density)
        self._form = forms.compile_density(self._density)
        self.keys = self._form.keys
        self.name = name

    @classmethod
    def from_density(cls, density, name="symbolic"):
        """The term of energy density ``density``.

        Parameters
        ----------
        density : sympy.Expr or 1x1 sympy.Matrix
            Energy density (J/m^3) in the symbols of ``pymag.symbolic``.
        name : str
            Name of the term (E_<name> in tables).

        Raises
        ------
        PymagError
            When the density is not a scalar, does not depend on m, holds an unknown symbol or
            function, a derivative other than a first derivative of m, or couples derivatives
            along two axes.
        """
        return EnergyTerm(density, name)

    @property
    def density(self):
        """The energy density (J/m^3), a SymPy expression."""
        return self._density

    def __setattr__(self, key, value):
        if key in self._frozen and key in vars(self):
            raise AttributeError(f"EnergyTerm.{key} cannot change; build a new term with EnergyTerm.from_density")
        super().__setattr__(key, value)

    def __repr__(self):
        return f"EnergyTerm.from_density({self._density}, name={self.name!r})"

    def __getstate__(self):
        """The attributes without the compiled form, whose generated functions do not pickle."""
        return {key: value for key, value in vars(self).items() if key != "_form"}

    def __setstate__(self, state):
        """Restore the attributes and the compiled form of the density (cached per density)."""
        vars(self).update(state, _form=forms.compile_density(state["_density"]))

    def _label(self):
        """How error messages name the term."""
        return f"EnergyTerm {self.name!r}"

    def __eq__(self, other):
        return type(other) is type(self) and (self.name, self._density) == (other.name, other._density)

    def __hash__(self):
        return hash(self._density)

    @classmethod
    def stack(cls, terms):
        """Batched term of B systems (see Term.stack); the densities must be equal."""
        if any(t._density != terms[0]._density for t in terms[1:]):
            raise PymagError(f"the terms named {terms[0].name!r} have different energy densities; "
                             "an ensemble needs the same terms")
        return super().stack(terms)

    # ----- per-system tensors ----------------------------------------------------------
    def setup(self, ctx):
        """Bind the material values, parameters and coordinates of the system in ``ctx`` and
        fold them into one coefficient tensor per generated product."""
        self._bonds = Bonds(ctx.mesh, ctx.magnet)
        self._volume = ctx.mesh.cell_volume
        values = _Values(ctx, self._bonds, self._label(), self._interfaces)
        bound = {key: _bind(part, ctx, values) for key, part in self._form.parts.items()
                 if key is None or ctx.mesh.n[key] > 1}
        # per part (None: cells, an axis: its bonds): coefficients of the field and of the
        # energy density, and the values the generated code reads
        self._field = {key: b[0] for key, b in bound.items()}
        self._energy = {key: b[1] for key, b in bound.items()}
        self._values = {key: b[2] for key, b in bound.items()}

    # ----- fields and energies ---------------------------------------------------------
    def field(self, m, t=0.0):
        """Effective field (A/m) of ``m`` (..., 3, nx, ny, nz) at time ``t`` (s)."""
        H = torch.zeros_like(m)
        self.add_field(H, m, t)
        return H

    def add_field(self, H, m, t=0.0):
        """Add the field (A/m) of ``m`` at time ``t`` (s) to ``H`` in place."""
        form = self._form
        t = torch.as_tensor(t, dtype=m.dtype, device=m.device) if form.uses_t else t
        components = H.split(1, -4) if form.splits_field else None
        for key, coeffs in self._field.items():
            part = form.parts[key]
            if key is None:
                r = part.field_kernel(m, t, self._values[key])
                for (target, _, i), c in zip(part.field_ops, coeffs):
                    (H if target is None else components[target]).addcmul_(c, r[i])
            else:
                r = part.field_kernel(*self._bonds.pair(m, key), t, self._values[key])
                for (target, _, (i, j)), (cl, cr) in zip(part.field_ops, coeffs):
                    self._bonds.scatter(H if target is None else components[target], key, cl, r[i], cr, r[j])

    def energy_density(self, m, t=0.0, H=None):
        """Energy density (J/m^3) of ``m`` at time ``t`` (s), shape (..., nx, ny, nz): the local
        density plus half the energy per volume of each adjacent bond. Computed from the
        density, so a field ``H`` is not needed (accepted for the Term interface)."""
        form = self._form
        t = torch.as_tensor(t, dtype=m.dtype, device=m.device) if form.uses_t else t
        density = m.new_zeros(m.shape[:-4] + (1,) + m.shape[-3:])
        for key, coeffs in self._energy.items():
            part = form.parts[key]
            if key is None:
                r = part.energy_kernel(m, t, self._values[key])
                for (_, i), c in zip(part.energy_ops, coeffs):
                    density.addcmul_(c, r[i])
            else:
                r = part.energy_kernel(*self._bonds.pair(m, key), t, self._values[key])
                for (_, i), c in zip(part.energy_ops, coeffs):
                    self._bonds.scatter(density, key, c, r[i], c, r[i])
        return density.squeeze(-4)

    def energy(self, m, t=0.0, H=None):
        """Energy (J) of ``m`` at time ``t`` (s), one value per leading batch index; computed
        from the density, so a field ``H`` is not needed (accepted for the Term interface)."""
        return self._volume * self.energy_density(m, t).sum(dim=(-3, -2, -1))


class BuiltinTerm(EnergyTerm):
    """Base of pymag's registered terms defined by their energy density (pm.UniaxialAnisotropy,
    pm.CubicAnisotropy, pm.DMI).

    A subclass passes the density that its arguments select; the term takes its registry
    name, and prints and names itself in errors as its class with those arguments
    (``_params``), e.g. ``DMI(kind='bulk')``.
    """

    optional = ()

    def __init__(self, density):
        """The term of energy density ``density`` (J/m^3), named as the class is registered.

        ``optional`` (class attribute) names material keys with a default of zero
        (``pymag.material.DEFAULTS``): on a system where no region sets one, its terms are
        dropped from the density before it is compiled, so they cost nothing there.
        """
        super().__init__(density, type(self).name)

    def setup(self, ctx):
        """Drop the optional keys that no region of the system sets from the density, then bind
        the tensors of the system in ``ctx`` (see EnergyTerm.setup)."""
        absent = {material(key): 0 for key in self.optional if not ctx.materials.has(key)}
        if absent:
            density = self._density.xreplace(absent)
            vars(self).update(_density=density, _form=forms.compile_density(density))
        super().setup(ctx)

    def __repr__(self):
        return Term.__repr__(self)

    def _label(self):
        return repr(self)


class _Values:
    """Values (float64 tensors) of the static symbols of a density on one system: per cell or,
    along an axis, per bond (materials averaged by their bond rule, or the values
    ``interfaces`` sets across two regions; coordinates at the bond midpoints)."""

    def __init__(self, ctx, bonds, needed_by, interfaces=None):
        self.ctx, self.bonds, self.needed_by = ctx, bonds, needed_by
        self.interfaces = interfaces or {}
        self._materials = {}
        self._bond_means = {}
        self._coordinates = None

    def _tensor(self, value):
        return torch.as_tensor(value, dtype=torch.float64, device=self.ctx.device)

    def material(self, symbol):
        if symbol.key not in self._materials:
            self._materials[symbol.key] = self.ctx.param(symbol.key, self.needed_by).to(torch.float64)
        value = self._materials[symbol.key]
        return value[symbol.index] if symbol.index else value

    def cell(self, symbol):
        if isinstance(symbol, MaterialSymbol):
            return self.material(symbol)
        if isinstance(symbol, ParamSymbol):
            return self._tensor(self.ctx.value(symbol.name, self.needed_by))
        if self._coordinates is None:
            self._coordinates = [self._tensor(c) for c in self.ctx.mesh.coordinates()]
        return self._coordinates[COORDINATES.index(symbol)]

    def bond(self, symbol, axis):
        if symbol == forms.CELL_SIZE:
            return self._tensor(self.ctx.mesh.cell[axis])
        if isinstance(symbol, MaterialSymbol):
            if symbol not in self._bond_means:
                means = self.bonds.coefficients(self.material(symbol), BOND_MEANS[symbol.bond])
                if symbol.key in self.interfaces:
                    means = override(means, self.bonds, self.ctx, self.interfaces[symbol.key], self.needed_by, "SI")
                self._bond_means[symbol] = means
            return self._bond_means[symbol][axis]
        value = self.cell(symbol)
        if symbol in COORDINATES:
            value = self.bonds.pair(value, axis)[0]
            if COORDINATES.index(symbol) == axis:
                value = value + 0.5 * self.ctx.mesh.cell[axis]
        return value


def _bind(part, ctx, values):
    """(field coefficients, energy coefficients, kernel values) of ``part`` on the system of
    ``ctx``: each static factor s times its fold, in the system's dtype.

    Folds: -1/(mu0 Ms) of the cell a field goes to (zero off the magnet) and, on bonds, the
    mask of bonds between two magnetic cells; the energy of a bond is shared half and half
    by its cells."""
    axis = part.axis
    value = values.cell if axis is None else (lambda s: values.bond(s, axis))
    outputs = part.static_fn(*(value(sym) for sym in part.static))
    s = outputs[:part.factors]
    magnet = ctx.magnet.to(torch.float64)
    field_fold = -ctx.inv_Ms.to(torch.float64) / mu0
    zero = torch.zeros((), dtype=ctx.dtype, device=ctx.device)

    def coefficient(index, fold):
        if index is None:
            return zero
        if isinstance(index, tuple):
            return torch.stack([fold * s[i] for i in index]).to(ctx.dtype)
        return (fold * s[index]).to(ctx.dtype)

    if axis is None:
        field = [coefficient(i, field_fold) for _, i, _ in part.field_ops]
        energy = [coefficient(i, magnet) for i, _ in part.energy_ops]
    else:
        bonds = values.bonds
        mask = torch.logical_and(*bonds.pair(ctx.magnet, axis)).to(torch.float64)
        fl, fr = (f * mask for f in bonds.pair(field_fold, axis))
        field = [(coefficient(il, fl), coefficient(ir, fr)) for _, (il, ir), _ in part.field_ops]
        energy = [coefficient(i, 0.5 * mask) for i, _ in part.energy_ops]
    bound = [b.to(ctx.dtype) for b in outputs[part.factors:]]
    return field, energy, bound
