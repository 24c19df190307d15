"""SI constants and conversion factors.

pymag computes in SI (A/m, J/m, J/m^3, T, s, m). Multiply by these factors to
write other units in a script, e.g. ``Ms = 800 * emu_per_cc`` or ``H = 100 * Oe``.
"""
import math

mu0 = 4e-7 * math.pi            # vacuum permeability (T m / A)
gamma_e = 1.7595e11             # electron gyromagnetic ratio (rad / (s T))
gamma0 = 2.211e5                # LLG gyromagnetic ratio mu0*gamma (m / (A s))
kB = 1.380649e-23               # Boltzmann constant (J / K)
muB = 9.2740100783e-24          # Bohr magneton (J / T)
qe = 1.602176634e-19            # elementary charge (C)
hbar = 1.054571817e-34          # reduced Planck constant (J s)

# lengths (m)
m = 1.0
cm = 1e-2
mm = 1e-3
um = 1e-6
nm = 1e-9
angstrom = 1e-10

# times (s)
s = 1.0
ns = 1e-9
ps = 1e-12
fs = 1e-15

# fields: flux density in T, field strength in A/m
T = 1.0
mT = 1e-3
A_per_m = 1.0
Oe = 1e3 / (4 * math.pi)        # 1 Oe in A/m
kA_per_m = 1e3

# CGS material constants -> SI
emu_per_cc = 1e3                # magnetization: 1 emu/cm^3 = 1e3 A/m
erg_per_cm = 1e-5               # exchange stiffness: 1 erg/cm = 1e-5 J/m
erg_per_cc = 1e-1               # energy density: 1 erg/cm^3 = 0.1 J/m^3
erg_per_cm2 = 1e-3              # interface energy / DMI: 1 erg/cm^2 = 1e-3 J/m^2
