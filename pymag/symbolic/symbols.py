"""The symbols an energy density is written in.

``x, y, z`` are the coordinates (m) and ``t`` the time (s). ``m`` is the unit
magnetization, a 3x1 matrix of undefined functions of ``x, y, z``, so that ``m.diff(x)``
and ``grad_m = m.jacobian([x, y, z])`` (row: component, column: derivative axis) are
its first derivatives (1/m). ``material(key)`` stands for a per-cell material value and
``param(name)`` for a named dynamic parameter of the system.
"""
import sympy as sp

from ..errors import PymagError
from ..material import VECTOR_KEYS

x, y, z = COORDINATES = sp.symbols("x y z", real=True)
t = sp.Symbol("t", real=True)

COMPONENTS = "xyz"
M_FUNCTIONS = tuple(sp.Function(f"m_{c}", real=True)(*COORDINATES) for c in COMPONENTS)
m = sp.Matrix(M_FUNCTIONS)
grad_m = m.jacobian(list(COORDINATES))

BOND_RULES = ("harmonic", "arithmetic")


class MaterialSymbol(sp.Symbol):
    """A material value read per cell: key ``key``, component ``index`` (() for scalar keys,
    (vector, component) for vector keys) and the rule ``bond`` that averages it onto the bond
    between two cells ("harmonic" or "arithmetic") where it multiplies a gradient."""

    __slots__ = ("key", "bond", "index")

    def __new__(cls, key, bond, index=()):
        label = key if bond == default_bond(key) else f"{key}_{bond}"
        if index:
            vector, component = index
            label += f"{vector + 1 if VECTOR_KEYS[key] > 1 else ''}_{COMPONENTS[component]}"
        obj = sp.Symbol.__xnew__(cls, label, real=True)
        obj.key, obj.bond, obj.index = key, bond, tuple(index)
        return obj

    def __getnewargs_ex__(self):
        return ((self.key, self.bond, self.index), {})

    def _hashable_content(self):
        return super()._hashable_content() + (self.key, self.bond, self.index)


class ParamSymbol(sp.Symbol):
    """A named dynamic parameter of the system (read once per system at setup)."""

    __slots__ = ()

    def __new__(cls, name):
        return sp.Symbol.__xnew__(cls, name, real=True)

    def __getnewargs_ex__(self):
        return ((self.name,), {})


def default_bond(key):
    """How ``key`` is averaged onto a bond by default: the harmonic mean for the exchange
    stiffness ``A`` (as pm.Exchange), the arithmetic mean otherwise (as pm.DMI)."""
    return "harmonic" if key == "A" else "arithmetic"


def material(key, bond=None):
    """Symbol of material ``key``, read per cell from the region materials.

    Parameters
    ----------
    key : str
        Material key, e.g. ``"Ku"`` (J/m^3) or a new key such as ``"K4"``.
    bond : {"harmonic", "arithmetic"}, optional
        How two cells' values are averaged onto their bond where the symbol multiplies a
        gradient of m; default harmonic for ``"A"``, arithmetic otherwise.

    Returns
    -------
    sympy.Symbol or sympy.Matrix or tuple of sympy.Matrix
        A scalar symbol; a 3x1 matrix for ``"Ku_axis"``; a pair of 3x1 matrices for
        ``"Kc_axes"``.
    """
    if not isinstance(key, str) or not key.isidentifier():
        raise PymagError(f"a material key must be a name such as 'K4', got {key!r}")
    bond = default_bond(key) if bond is None else bond
    if bond not in BOND_RULES:
        raise PymagError(f"bond rule of material {key!r} must be one of {BOND_RULES}, got {bond!r}")
    if key not in VECTOR_KEYS:
        return MaterialSymbol(key, bond)
    vectors = tuple(sp.Matrix([MaterialSymbol(key, bond, (v, c)) for c in range(3)])
                    for v in range(VECTOR_KEYS[key]))
    return vectors[0] if len(vectors) == 1 else vectors


def param(name):
    """Symbol of the dynamic parameter ``name`` of the system (its value in SI units is read
    when the system is assembled)."""
    if not isinstance(name, str) or not name.isidentifier():
        raise PymagError(f"a parameter name must be a name such as 'K2', got {name!r}")
    return ParamSymbol(name)
