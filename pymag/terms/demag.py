"""Demagnetizing (stray) field, delegated to a registered provider: E = -mu0/2 sum V Ms m.H_d (J).

Reads ``Ms`` (A/m). The provider ("fft" exact convolution by default) maps M = Ms m to H_d.
"""
from ..demag import get_provider
from . import energy_terms
from .base import Term


@energy_terms.register("demag")
class Demag(Term):
    """Demag field computed by provider ``method`` (see ``pymag.demag.available()``)."""

    keys = ("Ms",)
    order = 2
    shared = ("provider",)

    def __init__(self, method="fft", **options):
        get_provider(method)
        self.method = method
        self.options = options

    def _params(self):
        return {"method": self.method, **self.options}

    def setup(self, ctx):
        super().setup(ctx)
        self.Ms = ctx.Ms
        self.provider = ctx.provider(self.method, self.options)

    def field(self, m, t=0.0):
        return self.provider.field(self.Ms * m)
