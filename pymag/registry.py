"""Name -> class registries that discover plug-in modules of a package on first use.

A new energy term or demag provider is one module that decorates its class with
``@REGISTRY.register("name")``; nothing else needs editing.
"""
import importlib
import pkgutil

from .errors import ProviderError


class Registry:
    """Classes registered by name; the package's modules are imported on first lookup."""

    def __init__(self, package, kind):
        self.package = package
        self.kind = kind
        self._classes = {}
        self._scanned = False

    def register(self, name):
        """Class decorator adding the class under ``name``."""
        def decorate(cls):
            self._classes[name] = cls
            cls.name = name
            return cls
        return decorate

    def _scan(self):
        if self._scanned:
            return
        package = importlib.import_module(self.package)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{self.package}.{info.name}")
        self._scanned = True

    def names(self):
        """Sorted registered names."""
        self._scan()
        return sorted(self._classes)

    def get(self, name):
        """The class registered as ``name``; ProviderError listing the choices otherwise."""
        self._scan()
        try:
            return self._classes[name]
        except KeyError:
            raise ProviderError(f"unknown {self.kind} {name!r}; available: {', '.join(self.names())}") from None
