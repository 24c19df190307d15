"""Spin-orbit torque of an in-plane current in a heavy metal under a free layer of thickness t
(spin Hall effect), with a damping-like and a field-like part:

    H_DL = hbar theta_SH j / (2 e mu0 Ms t),   H_FL = field_like H_DL   (A/m),

    dm/dt = ... + alpha m x dm/dt - gamma [H_DL m x (m x sigma) + H_FL m x sigma]   (1/s)

in the Gilbert form of the LLG equation (see ``pymag.terms._spin_torque``), sigma the unit
spin polarization of the spin current. j theta_SH > 0 turns m towards sigma; the field-like
part is the precession about a field H_FL sigma. magnum.np's SpinOrbitTorque (p, eta_damp,
eta_field) is this term with sigma = -p, theta_SH = eta_damp, field_like = eta_field/eta_damp.
For a perpendicular macrospin with an in-plane field H_x along the current, switching needs
H_DL > H_K/2 - H_x/sqrt(2) (Lee et al., APL 102, 112410 (2013), H_x << H_K).
"""
from ..units import hbar, mu0, qe
from . import energy_terms
from ._spin_torque import SpinTorque, required


@energy_terms.register("spin_orbit_torque")
class SpinOrbitTorque(SpinTorque):
    """Damping-like and field-like spin-orbit torque.

    Parameters
    ----------
    j : number, array (nx, ny, nz), tensor or callable
        Charge current density (A/m^2) in the heavy metal: a number, one value per cell, or a
        callable of the time ``t`` (s), the coordinates ``x, y, z`` (m) and named parameters
        (``system.params``) returning either. Tensors may require gradients.
    theta_SH : number, array or callable
        Spin Hall angle (dimensionless; its sign is the heavy metal's). Required.
    sigma : 3-vector, array (3, nx, ny, nz) or callable
        Spin polarization direction; normalized (per cell). Required.
    thickness : number, array or callable, optional
        Free-layer thickness t (m, > 0); default the mesh's thickness (nz dz).
    field_like : number, array or callable
        Ratio H_FL/H_DL of the field-like to the damping-like amplitude (dimensionless);
        default 0.
    name : str, optional
        Term name in the system (default ``"spin_orbit_torque"``).

    Raises
    ------
    PymagError
        When j, theta_SH or sigma is missing, sigma has zero length, thickness is not
        positive, or a value is not finite (constants at once, functions and arrays when the
        system is assembled).
    """

    arguments = ("j", "theta_SH", "sigma", "thickness", "field_like")
    direction = "sigma"
    setup_only = arguments + ("_constants",)

    def __init__(self, j=None, theta_SH=None, sigma=None, thickness=None, field_like=0.0, name=None):
        required(j, "SpinOrbitTorque", "j", "the current density (A/m^2)")
        required(theta_SH, "SpinOrbitTorque", "theta_SH", "the spin Hall angle (e.g. theta_SH=0.1)")
        required(sigma, "SpinOrbitTorque", "sigma", "the spin polarization direction (a 3-vector)")
        super().__init__(name, j=j, theta_SH=theta_SH, sigma=sigma, thickness=thickness, field_like=field_like)

    def setup(self, ctx):
        value = self.values(ctx)
        # -gamma H_DL (1/s) per cell, zero outside the magnet
        self._dl = ((-hbar / (2 * qe * mu0)) * ctx.param("gamma", "SpinOrbitTorque") * value["theta_SH"]
                    * value["j"] * self.inv_Ms_thickness(ctx, value["thickness"]))
        self._fl = self._dl * value["field_like"]
        self._s = value["sigma"]
        self._alpha = ctx.param("alpha", "SpinOrbitTorque")

    def amplitudes(self, m):
        return self._dl, self._fl
