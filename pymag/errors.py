"""Exceptions raised by pymag for bad input, always before any long computation."""


class PymagError(Exception):
    """Base class of every error pymag raises on purpose."""


class MaterialError(PymagError, ValueError):
    """A material parameter is unknown, negative, NaN or otherwise unphysical."""


class MissingParameterError(MaterialError):
    """An energy term needs a material key that a magnetic region does not define."""


class ShapeMismatchError(PymagError, ValueError):
    """An array does not match the mesh (or the expected component layout)."""


class GeometryError(PymagError, ValueError):
    """A shape was given invalid dimensions, vertices or image data."""


class MeshError(PymagError, ValueError):
    """A mesh has invalid cell counts, cell sizes or periodic images."""


class OutOfMemoryError(PymagError, MemoryError):
    """The tensors a mesh needs would not fit in the memory of the chosen device."""


class ProviderError(PymagError, RuntimeError):
    """A demag provider is unknown or cannot run on this machine."""


class StateError(PymagError, ValueError):
    """A magnetization state or checkpoint is invalid (NaN, zero vectors, wrong file)."""


class FileFormatError(PymagError, ValueError):
    """A file (OVF, VTK, table, checkpoint) is malformed or not in a format pymag reads."""


class ConvergenceError(PymagError, RuntimeError):
    """A driver ran out of steps before its stopping criterion held. ``steps``: the step at
    which each system stopped (an int for a System, a numpy array for an Ensemble, 0 for
    those that did not stop); the state reached is kept in the system(s)."""

    def __init__(self, message, steps):
        super().__init__(message)
        self.steps = steps
