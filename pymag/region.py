"""Region: a shape painted with a material, a named part of a system."""
from .errors import PymagError
from .geometry import Shape
from .material import canonical


class Region:
    """A named part of a system: the cells of ``shape`` (inside the system's geometry) carry
    ``material`` (a dict of SI values, merged over the system's base material; values may be
    numbers, tensors, per-cell arrays or callables, see ``pymag.material``).

    Immutable, printable and comparable; ``System(mesh, regions=[...])`` paints regions in
    order, a later one overriding an earlier one.
    """

    __slots__ = ("shape", "material", "name")

    def __init__(self, shape, material, name):
        if not isinstance(shape, Shape):
            raise PymagError(f"Region needs a pm shape, got {type(shape).__name__}")
        if not isinstance(name, str) or not name:
            raise PymagError(f"Region needs a name (a non-empty string), got {name!r}")
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "material", canonical(material, f"region {name!r}"))
        object.__setattr__(self, "name", name)

    def __setattr__(self, key, value):
        raise PymagError("a Region is immutable; make a new one")

    def __repr__(self):
        keys = ", ".join(f"{k}={_brief(v)}" for k, v in self.material.items())
        return f"Region({self.name!r}, {self.shape!r}, {{{keys}}})"

    def __eq__(self, other):
        return isinstance(other, Region) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))


def _brief(value):
    if callable(value):
        return f"<{getattr(value, '__name__', 'function')}>"
    if hasattr(value, "shape") and getattr(value, "ndim", 0) > 1:
        return f"<array {tuple(value.shape)}>"
    return repr(value)
