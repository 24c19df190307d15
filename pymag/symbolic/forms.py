"""The form compiler: an energy density (J/m^3) in SymPy becomes field and energy code.

The density e(m, grad m) is split into a local part e(m, 0) and, per axis k, a gradient
part e_k (the terms holding derivatives along k; products of derivatives along two axes
are refused). On the cell-centred mesh the local part is evaluated per cell and e_k per
bond between neighbours i and j = i + e_k, at the midpoint m = (m_i + m_j)/2 with
d_k m = (m_j - m_i)/d_k and material values averaged onto the bond. The energy is
E = V (sum_cells e_local + sum_bonds e_k) and the field of a cell
H_i = -1/(mu0 Ms_i V) dE/dm_i, both derived here symbolically.

Every derivative is written as a sum of products s * r: s holds only values fixed when
a system is assembled (materials, parameters, coordinates, cell size), folded into
one tensor per product at setup; r holds m (and t) and is computed at each call by
generated torch code, except its static subexpressions (a component of c1 x c2, say), which
are computed at setup too. Where the three components share one product the code acts on
whole vector tensors, as a hand-written term would.
"""
import functools

import sympy as sp

from ..errors import PymagError
from . import _codegen
from .symbols import COMPONENTS, COORDINATES, M_FUNCTIONS, MaterialSymbol, ParamSymbol, t

# the magnetization of a cell, and of the left and right cell of a bond, as plain symbols
M_CELL = sp.symbols("m_x m_y m_z", real=True)
M_LEFT = sp.symbols("mi_x mi_y mi_z", real=True)
M_RIGHT = sp.symbols("mj_x mj_y mj_z", real=True)
# whole vector tensors (..., 3, nx, ny, nz) in generated code
VECTOR = {M_CELL: sp.Symbol("M"), M_LEFT: sp.Symbol("MI"), M_RIGHT: sp.Symbol("MJ")}
# d m_c / d x_k as a plain symbol
GRADIENT = tuple(tuple(sp.Symbol(f"d{COMPONENTS[k]}_m_{COMPONENTS[c]}", real=True) for k in range(3))
                 for c in range(3))
# the cell size (m) along a bond's axis
CELL_SIZE = sp.Symbol("h", positive=True)


def scalar(density):
    """``density`` as a scalar SymPy expression (a 1x1 matrix is unwrapped)."""
    if isinstance(density, sp.MatrixBase):
        if density.shape != (1, 1):
            raise PymagError(f"an energy density must be a scalar, got a {density.shape[0]}x{density.shape[1]} "
                             "matrix (did you mean a dot product, u.dot(m)?)")
        density = density[0, 0]
    try:
        e = sp.sympify(density, strict=True)
    except sp.SympifyError:
        raise PymagError(f"an energy density must be a SymPy expression, got {type(density).__name__}") from None
    if not isinstance(e, sp.Expr) or isinstance(e, sp.MatrixExpr):
        raise PymagError(f"an energy density must be a scalar SymPy expression, got {type(e).__name__}")
    return e


@functools.lru_cache(maxsize=None)
def compile_density(density):
    """The compiled Form of ``density`` (a scalar SymPy expression from ``scalar``, J/m^3),
    cached so that equal densities share their generated code."""
    return Form(density)


class Form:
    """A compiled energy density: its ``local`` Part (or None), one Part per axis with a
    gradient part (``bonds``, axis -> Part), both in ``parts`` (None -> local part);
    ``keys``: the material keys it reads (and Ms)."""

    def __init__(self, density):
        e = _plain(density)
        local = e.xreplace({g: 0 for row in GRADIENT for g in row})
        self.keys = tuple(sorted({s.key for s in e.free_symbols if isinstance(s, MaterialSymbol)} | {"Ms"}))
        self.local = Part.cell(local) if local != 0 else None
        self.bonds = {}
        for k in range(3):
            others = {GRADIENT[c][a]: 0 for c in range(3) for a in range(3) if a != k}
            part = e.xreplace(others) - local
            if part.has(*(GRADIENT[c][k] for c in range(3))):
                self.bonds[k] = Part.bond(part, k)
        self.parts = dict(self.bonds) if self.local is None else {None: self.local, **self.bonds}
        self.uses_t = any(p.uses_t for p in self.parts.values())
        self.splits_field = any(isinstance(op[0], int) for p in self.parts.values() for op in p.field_ops)


def _plain(e):
    """The scalar density ``e`` checked, with m and its derivatives replaced by plain symbols."""
    replace = {}
    for d in e.atoms(sp.Derivative):
        if d.expr not in M_FUNCTIONS:
            raise PymagError(f"{d}: only derivatives of the magnetization m are supported")
        if len(d.variable_count) != 1 or d.variable_count[0][1] != 1:
            raise PymagError(f"{d}: only first derivatives of m are supported")
        var = d.variable_count[0][0]
        if var not in COORDINATES:
            raise PymagError(f"{d}: m may only be differentiated along x, y or z")
        replace[d] = GRADIENT[M_FUNCTIONS.index(d.expr)][COORDINATES.index(var)]
    e = e.xreplace(replace).xreplace(dict(zip(M_FUNCTIONS, M_CELL)))
    unknown = _codegen.unsupported_functions(e)
    if unknown:
        raise PymagError(f"unknown function(s) {', '.join(unknown)} in the energy density")
    gradients = {g for row in GRADIENT for g in row}
    allowed = set(COORDINATES) | {t} | set(M_CELL) | gradients
    unknown = sorted(str(s) for s in e.free_symbols - allowed if not isinstance(s, (MaterialSymbol, ParamSymbol)))
    if unknown:
        raise PymagError(f"unknown symbol(s) {', '.join(unknown)} in the energy density: write material values "
                         "as material('key'), parameters as param('name'), and use t, x, y, z, m, grad_m")
    if not e.free_symbols & (set(M_CELL) | gradients):
        raise PymagError(f"the energy density {e} does not depend on the magnetization m")
    _check_separable(e)
    return e


def _check_separable(e):
    """Refuse densities coupling derivatives along two different axes (d/dx m . d/dy m):
    the cell-centred scheme discretizes each axis on its own bonds."""
    for k in range(3):
        for a in range(k + 1, 3):
            for c in range(3):
                for c2 in range(3):
                    mixed = sp.diff(e, GRADIENT[c][k], GRADIENT[c2][a])
                    if mixed != 0 and sp.expand(mixed) != 0 and sp.simplify(mixed) != 0:
                        raise PymagError(
                            f"the energy density couples d/d{COMPONENTS[k]} m_{COMPONENTS[c]} and "
                            f"d/d{COMPONENTS[a]} m_{COMPONENTS[c2]}: mixed derivatives are not supported "
                            "by the cell-centred scheme")


class Part:
    """Field and energy code of one part of a density, on cells (``axis`` None) or on the
    bonds along ``axis``.

    ``static`` lists the symbols fixed at setup and ``static_fn(*values)`` evaluates from their
    values every static factor s (the first ``factors`` outputs), then the values of
    ``bound``. ``field_ops`` entries are ``(component, s, r)`` for a cell part and
    ``(component, (s_left, s_right), (r_left, r_right))`` for a bond part: ``component``
    None adds to all three components, an int to that one; s is the index of a static
    factor (a triple of indices: one per component, stacked at setup; None: zero) and r the
    index of an output of ``field_kernel``. ``energy_ops`` are ``(s, r)`` pairs of the
    energy density and ``energy_kernel``'s outputs. Both kernels take the m tensor(s), t (a
    tensor, where ``uses_t``) and the values of ``bound``: the static symbols in r and
    symbols standing for the static subexpressions of r (such as a component of c1 x c2),
    which are computed once at setup.
    """

    def __init__(self, axis, energy, gradients, dynamic):
        self.axis = axis
        statics, dynamics = _Indexed(), _Indexed()
        # on bonds the midpoint substitution leaves terms that cancel only once expanded
        expand = axis is not None
        field_sr = [[_products(g, dynamic, expand) for g in side] for side in gradients]
        self.field_ops = []
        sides = [_classify(terms, dynamic) for terms in field_sr]
        if axis is None:
            for target, s, r in sides[0]:
                self.field_ops.append((target, _index(statics, s), dynamics.add(r)))
        else:
            for target, pair in _pairs(*sides):
                s = tuple(_index(statics, side[0]) if side else None for side in pair)
                r = tuple(dynamics.add(side[1] if side else other[1]) for side, other in zip(pair, pair[::-1]))
                self.field_ops.append((target, s, r))
        energy_terms = _products(energy, dynamic, expand)
        energies = _Indexed()
        self.energy_ops = [(statics.add(s), energies.add(r)) for s, r in energy_terms]
        moving = set(dynamic) | set(VECTOR.values())
        hoisted = {}
        exprs = [_hoist(r, moving, hoisted) for r in dynamics.items + energies.items]
        field_r, energy_r = exprs[:len(dynamics.items)], exprs[len(dynamics.items):]
        self.bound = tuple(sorted(set().union(*(r.free_symbols for r in exprs)) - moving, key=str))
        self.factors = len(statics.items)
        outputs = statics.items + [hoisted.get(b, b) for b in self.bound]
        self.static = tuple(sorted(set().union(*(e.free_symbols for e in outputs)), key=str))
        self.static_fn = _build_static(f"static_{_label(axis)}", self.static, outputs)
        self.uses_t = any(r.has(t) for r in exprs)
        self.field_kernel = _build_kernel(f"field_{_label(axis)}", axis, self.bound, field_r)
        self.energy_kernel = _build_kernel(f"energy_{_label(axis)}", axis, self.bound, energy_r)

    @classmethod
    def cell(cls, e):
        """The local part ``e(m)`` (no derivatives), evaluated per cell."""
        gradient = [sp.diff(e, mc) for mc in M_CELL]
        return cls(None, e, [gradient], M_CELL + (t,))

    @classmethod
    def bond(cls, e, axis):
        """The gradient part ``e`` along ``axis`` evaluated on bonds from the two cells' m."""
        replace = {mc: (a + b) / 2 for mc, a, b in zip(M_CELL, M_LEFT, M_RIGHT)}
        replace.update({GRADIENT[c][axis]: (M_RIGHT[c] - M_LEFT[c]) / CELL_SIZE for c in range(3)})
        eb = e.xreplace(replace)
        gradients = [[sp.diff(eb, v) for v in side] for side in (M_LEFT, M_RIGHT)]
        return cls(axis, eb, gradients, M_LEFT + M_RIGHT + (t,))


def _hoist(expr, moving, hoisted):
    """``expr`` with each largest subexpression that holds static symbols but none of the
    ``moving`` ones replaced by a symbol standing for it (one per distinct subexpression);
    ``hoisted`` maps the symbols to the subexpressions, which setup computes once instead of
    every call."""
    if expr.is_Atom:
        return expr
    if not expr.free_symbols & moving:
        if not expr.free_symbols:
            return expr
        symbol = next((k for k, v in hoisted.items() if v == expr), None)
        if symbol is None:
            symbol = sp.Dummy(f"k{len(hoisted)}", real=True)
            hoisted[symbol] = expr
        return symbol
    if expr.is_Add or expr.is_Mul:
        fixed, rest = expr.as_independent(*moving, as_Add=expr.is_Add)
        parts = [_hoist(fixed, moving, hoisted)] + [_hoist(a, moving, hoisted) for a in expr.make_args(rest)]
        return expr.func(*parts)
    return expr.func(*(_hoist(a, moving, hoisted) for a in expr.args))


def _label(axis):
    return "cell" if axis is None else f"bond_{COMPONENTS[axis]}"


class _Indexed:
    """A list of distinct expressions; ``add`` returns an expression's index."""

    def __init__(self):
        self.items = []

    def add(self, expr):
        if expr not in self.items:
            self.items.append(expr)
        return self.items.index(expr)


def _index(statics, s):
    return tuple(statics.add(v) for v in s) if isinstance(s, tuple) else statics.add(s)


def _products(expr, dynamic, expand):
    """``expr`` as a list of (s, r) with expr = sum s*r: s free of the ``dynamic`` symbols,
    the r distinct and each s distinct up to sign (so that s*(a - b) stays one product).
    With ``expand``, ``expr`` is expanded first where that makes it shorter."""
    if expand:
        expanded = sp.expand(expr)
        expr = expanded if sp.count_ops(expanded) <= sp.count_ops(expr) else expr
    by_r = {}
    for s, r in _terms(sp.factor_terms(expr), dynamic):
        by_r[r] = by_r.get(r, 0) + s
    by_s = {}
    for r, s in by_r.items():
        sign = -1 if s.could_extract_minus_sign() else 1
        by_s[sign * s] = by_s.get(sign * s, 0) + sign * r
    out = []
    for s, r in by_s.items():
        coeff, r = sp.factor_terms(r).as_independent(*dynamic, as_Add=False)
        s = s * coeff
        if r.could_extract_minus_sign():
            s, r = -s, -r
        if s != 0 and r != 0:
            out.append((s, r))
    return out


def _terms(expr, dynamic):
    """(s, r) per term of ``expr``; a product whose only dynamic factor is a sum is split
    into the terms of that sum."""
    for term in sp.Add.make_args(expr):
        s, r = term.as_independent(*dynamic, as_Add=False)
        if r.is_Add:
            yield from ((s * s2, r2) for s2, r2 in _terms(r, dynamic))
        else:
            yield s, r


def _classify(terms, dynamic):
    """The products of the three components' derivatives as (target, s, r) operations:
    ``target`` None with one s and r in vector symbols where component c reads r with m_x
    replaced by m_c (e.g. s*(m_i - m_j)); ``target`` None with an s per component where the
    three share r (e.g. Ku u_c (m.u)); ``target`` c for the rest."""
    comps = [dict((r, s) for s, r in component) for component in terms]
    groups = [v for v in (M_CELL, M_LEFT, M_RIGHT) if v[0] in dynamic]
    m_vars = {v for g in groups for v in g}
    ops = []
    for r, s in list(comps[0].items()):
        if not (r.free_symbols & m_vars) <= {g[0] for g in groups}:
            continue
        moved = [r.xreplace({g[0]: g[c] for g in groups}) for c in (1, 2)]
        if all(comps[c].get(rc) == s for c, rc in zip((1, 2), moved)):
            ops.append((None, s, r.xreplace({g[0]: VECTOR[g] for g in groups})))
            for c, rc in zip((0, 1, 2), [r] + moved):
                del comps[c][rc]
    for r in [r for r in comps[0] if r in comps[1] and r in comps[2]]:
        ops.append((None, tuple(comps[c].pop(r) for c in range(3)), r))
    ops += [(c, s, r) for c in range(3) for r, s in comps[c].items()]
    return ops


def _pairs(left, right):
    """Pair the left-cell and right-cell operations of a bond acting on the same target,
    preferring equal r; an operation without partner is paired with None."""
    out = []
    right = list(right)
    for op in left:
        partners = [o for o in right if o[0] == op[0]]
        partner = next((o for o in partners if o[2] == op[2]), partners[0] if partners else None)
        if partner is not None:
            right.remove(partner)
        out.append((op[0], ((op[1], op[2]), (partner[1], partner[2]) if partner else None)))
    out += [(op[0], (None, (op[1], op[2]))) for op in right]
    return out


def _build_static(name, symbols, exprs):
    names = {s: sp.Symbol(f"s{i}") for i, s in enumerate(symbols)}
    return _codegen.build(name, [str(v) for v in names.values()], [], [e.xreplace(names) for e in exprs])


def _build_kernel(name, axis, bound, exprs):
    """Generated ``name(m..., t, bound)``: the tuple of ``exprs`` (r factors) for m of shape
    (..., 3, nx, ny, nz) (a cell part) or the pair of bond-end views (a bond part)."""
    inputs = ["M"] if axis is None else ["MI", "MJ"]
    groups = (M_CELL,) if axis is None else (M_LEFT, M_RIGHT)
    rename = {s: sp.Symbol(f"b{i}") for i, s in enumerate(bound)}
    exprs = [e.xreplace(rename) for e in exprs]
    used = set().union(*(e.free_symbols for e in exprs)) if exprs else set()
    body = [f"{', '.join(map(str, g))} = {VECTOR[g]}.split(1, -4)" for g in groups if used & set(g)]
    if rename:
        names = [str(b) if b in used else "_" for b in rename.values()]
        body.append(f"{''.join(n + ', ' for n in names)}= bound")
    outputs = [e if e.free_symbols else f"torch.full((), {float(e)!r}, dtype={inputs[0]}.dtype, "
               f"device={inputs[0]}.device)" for e in exprs]
    return _codegen.build(name, inputs + ["t", "bound"], body, outputs)
