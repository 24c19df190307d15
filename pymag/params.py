"""Dynamic parameters: values that are numbers, tensors or functions of time and of each other.

A value that is a callable is resolved by the names of its arguments: ``t`` is the time (s, a
0-dim float64 tensor), ``x, y, z`` the cell-centre coordinates (m, numpy arrays of the mesh's
shape), and any other name a named parameter (``system.params``) or, inside a region's
material, another material key of that region. Names are resolved recursively; a missing name or a cycle raises a
``PymagError`` naming it. A value is time-dependent when ``t`` is reached on that chain.
"""
import inspect
import keyword

import torch

from .errors import PymagError

TIME = "t"
COORDINATES = ("x", "y", "z")
RESERVED = (TIME,) + COORDINATES


def argument_names(fn, where):
    """Names of the arguments of callable ``fn`` (positional or keyword); ``where`` names it in
    errors. A callable with ``*args`` or ``**kwargs`` cannot be resolved by name."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        raise PymagError(f"{where}: cannot read the argument names of {fn!r}") from None
    names = []
    for p in signature.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise PymagError(f"{where}: a function value needs named arguments (t, x, y, z, parameter "
                             f"names or material keys), not *{p.name}")
        if p.default is p.empty:
            names.append(p.name)
    return tuple(names)


class Params:
    """Named parameters of a system: ``system.params.h0 = 2e4``, ``system.params.update(f=5e9)``.

    A value is a number, a tensor (may have ``requires_grad``) or a callable of ``t`` and other
    parameters. Setting one makes the system assemble again before its next computation.
    """

    def __init__(self, on_change=None):
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_on_change", on_change)

    def __getattr__(self, name):
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(f"no parameter {name!r}; parameters: {sorted(values)}")

    def __setattr__(self, name, value):
        self.update({name: value})

    def __delattr__(self, name):
        if name not in self._values:
            raise AttributeError(f"no parameter {name!r}")
        del self._values[name]
        self._changed()

    def update(self, values=None, **more):
        """Set several parameters at once (a dict and/or keywords)."""
        items = dict(values or {}, **more)
        for name in items:
            if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
                raise PymagError(f"parameter name must be a Python identifier, got {name!r}")
            if name in RESERVED:
                raise PymagError(f"{name!r} cannot be a parameter name: t is the time and x, y, z the coordinates")
        self._values.update(items)
        self._changed()

    def _changed(self):
        if self._on_change is not None:
            self._on_change()

    def __contains__(self, name):
        return name in self._values

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def items(self):
        """(name, value) pairs."""
        return self._values.items()

    def __repr__(self):
        inner = ", ".join(f"{k}={_short(v)}" for k, v in self._values.items())
        return f"Params({inner})"


def _short(value):
    if isinstance(value, torch.Tensor):
        grad = ", requires_grad=True" if value.requires_grad else ""
        return f"tensor({value.detach().cpu().tolist() if value.numel() <= 6 else list(value.shape)}{grad})"
    if callable(value):
        name = getattr(value, "__name__", "function")
        try:
            return f"<{name}({', '.join(argument_names(value, 'a parameter'))})>"
        except PymagError:
            return f"<{name}>"
    return repr(value)


class Scope:
    """Names visible to a value besides t, x, y, z and the parameters: e.g. the material keys of
    one region. ``values``: name -> raw value; ``where`` names the scope in errors."""

    def __init__(self, values, where):
        self.values = values
        self.where = where


class Resolver:
    """Evaluates values at one time ``t`` (s), caching what it computed.

    ``params``: a Params (or dict); ``coordinates``: a callable returning the (x, y, z) numpy
    arrays of the cell centres (m), called once, when a value first asks for them (the
    resolvers ``at`` other times share the result).
    """

    def __init__(self, params, coordinates, t=0.0):
        self.params = dict(params.items()) if isinstance(params, Params) else dict(params)
        self._coordinates = coordinates
        self._shared = {}
        self.t = t
        self._cache = {}
        self._stack = []

    def at(self, t):
        """A resolver for the same parameters at time ``t`` (s)."""
        out = Resolver(self.params, self._coordinates, t)
        out._shared = self._shared
        return out

    def coordinates(self):
        """The cell-centre coordinates (x, y, z), numpy arrays (m)."""
        if "xyz" not in self._shared:
            self._shared["xyz"] = self._coordinates()
        return self._shared["xyz"]

    def evaluate(self, value, where, scope=None):
        """(value, time_dependent) of ``value``: callables are called with their arguments
        resolved; other values are returned as they are."""
        if not callable(value):
            return value, False
        names = argument_names(value, where)
        args, dynamic = [], False
        for name in names:
            arg, dyn = self.name(name, where, scope)
            args.append(arg)
            dynamic = dynamic or dyn
        try:
            result = value(*args)
        except PymagError:
            raise
        except Exception as exc:
            raise PymagError(f"{where}: evaluating {_short(value)} failed: {type(exc).__name__}: {exc}") from exc
        return result, dynamic

    def name(self, name, where, scope=None):
        """(value, time_dependent) of the argument ``name`` asked for by a value of ``where``."""
        if name == TIME:  # a tensor, so that torch functions of t work as math ones do
            return torch.as_tensor(self.t, dtype=torch.float64), True
        if name in COORDINATES:
            return self.coordinates()[COORDINATES.index(name)], False
        in_scope = scope is not None and name in scope.values
        if in_scope and name in self.params:
            raise PymagError(f"{where}: argument {name!r} is both a parameter and a material key of "
                             f"{scope.where}; rename the parameter")
        if in_scope:
            key, raw, label = (id(scope), name), scope.values[name], f"{name} of {scope.where}"
        elif name in self.params:
            key, raw, label, scope = ("params", name), self.params[name], f"parameter {name!r}", None
        else:
            known = sorted(self.params)
            local = f", the material keys of {scope.where} ({', '.join(sorted(scope.values))})" if scope else ""
            raise PymagError(f"{where} needs {name!r}, which is not a parameter (system.params has "
                             f"{known or 'none'}){local}, nor t, x, y, z")
        if key in self._cache:
            return self._cache[key]
        if key in self._stack:
            loop = [k[1] for k in self._stack[self._stack.index(key):]] + [name]
            raise PymagError(f"{where}: the values depend on each other in a cycle: {' -> '.join(loop)}")
        self._stack.append(key)
        try:
            result = self.evaluate(raw, label, scope)
        finally:
            self._stack.pop()
        self._cache[key] = result
        return result

    def check_params(self):
        """Resolve every parameter once: missing names and cycles raise here."""
        for name in self.params:
            self.name(name, "system.params")
