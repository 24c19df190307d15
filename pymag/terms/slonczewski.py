"""Slonczewski spin-transfer torque of a current through a fixed layer of polarization p into
a free layer of thickness d, as mumax3 defines it (its Pol, Lambda, EpsilonPrime, FixedLayer,
FreeLayerThickness, with the fixed layer on top).

With beta = hbar j / (e mu0 Ms d) (A/m; j the current density along z in A/m^2) and

    epsilon = P Lambda^2 / ((Lambda^2 + 1) + (Lambda^2 - 1) m.p),

the torque in the Gilbert form of the LLG equation is

    dm/dt = ... + alpha m x dm/dt + gamma beta [epsilon m x (p x m) + epsilon' p x m]   (1/s),

i.e. a damping-like amplitude H_DL = beta epsilon and a field-like one H_FL = beta epsilon'
about s = p (see ``pymag.terms._spin_torque``). j > 0 with P > 0 turns m towards p. At m = p,
epsilon = P/2 for every Lambda; at m = -p, epsilon = P Lambda^2/2. In mumax3's units the
amplitudes are mu0 beta epsilon and mu0 beta epsilon' (T).
"""
from ..units import hbar, mu0, qe
from . import energy_terms
from ._spin_torque import SpinTorque, required


@energy_terms.register("slonczewski")
class Slonczewski(SpinTorque):
    """Slonczewski spin-transfer torque of a current perpendicular to the layers.

    Parameters
    ----------
    j : number, array (nx, ny, nz), tensor or callable
        Current density (A/m^2) through the free layer, along z: a number, one value per cell,
        or a callable of the time ``t`` (s), the coordinates ``x, y, z`` (m) and named
        parameters (``system.params``) returning either. Tensors may require gradients.
    p : 3-vector, array (3, nx, ny, nz) or callable
        Polarization direction of the fixed layer; normalized (per cell). Required.
    P : number, array (nx, ny, nz) or callable
        Spin polarization of the current (mumax3's ``Pol``), dimensionless. Required.
    Lambda : number, array or callable
        Slonczewski asymmetry parameter (> 0); default 1 (epsilon = P/2 at every angle).
    eps_prime : number, array or callable
        Secondary spin-transfer term epsilon' (mumax3's ``EpsilonPrime``); default 0.
    thickness : number, array or callable, optional
        Free-layer thickness d (m, > 0); default the mesh's thickness (nz dz), as mumax3.
    name : str, optional
        Term name in the system (default ``"slonczewski"``).

    Raises
    ------
    PymagError
        When j, p or P is missing, p has zero length, Lambda or thickness is not positive,
        or a value is not finite (constants at once, functions and arrays when the system
        is assembled).
    """

    arguments = ("j", "p", "P", "Lambda", "eps_prime", "thickness")
    direction = "p"
    positive = ("Lambda", "thickness")
    setup_only = arguments + ("_constants",)

    def __init__(self, j=None, p=None, P=None, Lambda=1.0, eps_prime=0.0, thickness=None, name=None):
        required(j, "Slonczewski", "j", "the current density (A/m^2)")
        required(p, "Slonczewski", "p", "the fixed layer's polarization direction (a 3-vector)")
        required(P, "Slonczewski", "P", "the spin polarization of the current (e.g. P=0.4)")
        super().__init__(name, j=j, p=p, P=P, Lambda=Lambda, eps_prime=eps_prime, thickness=thickness)

    def setup(self, ctx):
        value = self.values(ctx)
        # -gamma beta (1/s) per cell, zero outside the magnet
        minus_gamma_beta = ((-hbar / (qe * mu0)) * ctx.param("gamma", "Slonczewski") * value["j"]
                            * self.inv_Ms_thickness(ctx, value["thickness"]))
        L2 = value["Lambda"] * value["Lambda"]
        self._s = value["p"]
        self._alpha = ctx.param("alpha", "Slonczewski")
        self._dl = minus_gamma_beta * value["P"] * L2
        self._fl = minus_gamma_beta * value["eps_prime"]
        self._plus, self._minus = L2 + 1, L2 - 1

    def amplitudes(self, m):
        return self._dl / (self._plus + self._minus * self.polarization_dot(m)), self._fl
