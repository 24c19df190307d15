"""Demagnetizing-field providers, registered by name (``Demag(method=...)``).

A provider maps ``M = Ms*m`` (A/m, shape ``(..., 3, nx, ny, nz)``) to ``H_d`` (A/m).
"""
from ..registry import Registry

providers = Registry(__name__, "demag provider")


def get_provider(name):
    """The provider class registered as ``name``."""
    return providers.get(name)


def available():
    """Names of all registered providers."""
    return providers.names()
