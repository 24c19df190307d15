"""Energy terms, one module each; every module here registers its term classes.

``from pymag.terms import *`` exports all registered terms, so a new term is one new
module and nothing else.
"""
from ..registry import Registry

energy_terms = Registry(__name__, "energy term")
energy_terms.names()
__all__ = sorted({cls.__name__ for cls in energy_terms._classes.values()})
globals().update({cls.__name__: cls for cls in energy_terms._classes.values()})
