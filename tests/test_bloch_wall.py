"""A 180-degree Bloch wall in a uniaxial wire (no demag): width pi*sqrt(A/K), energy 4*sqrt(A*K).

Reference: Hubert & Schaefer, Magnetic Domains (1998), sec. 3.6.1: theta(x) = 2 atan(exp(x/Delta)),
Delta = sqrt(A/K); Lilley wall width pi*Delta (defined from the central slope) and wall
energy per area 4*sqrt(A*K).
"""
import math

import numpy as np
import pytest

import pymag as pm

A, K, MS = 1.3e-11, 5e5, 8e5
DELTA = math.sqrt(A / K)          # 5.1 nm
CELL = 0.25e-9                    # Delta/20: discretization error ~ (d/Delta)^2/12 ~ 2e-4


def relaxed_wall(dtype):
    n = 480                       # 120 nm: +-11.7 Delta, the tails are below 1e-5
    mesh = pm.Mesh(n=(n, 1, 1), cell=(CELL, CELL, CELL))
    system = pm.System(mesh, material={"Ms": MS, "A": A, "Ku": K, "Ku_axis": (0, 0, 1), "alpha": 1.0},
                       terms=[pm.Exchange(), pm.UniaxialAnisotropy()],
                       m=lambda x, y, z: (0 * x, 1 / np.cosh(x / 3e-9), -np.tanh(x / 3e-9)), dtype=dtype)
    system.minimize(stop=1e-8 if dtype == "float64" else 1e-6)
    return system, mesh


def test_wall_energy_is_4_sqrt_AK(dtype):
    system, mesh = relaxed_wall(dtype)
    area = CELL * CELL
    # our anisotropy energy is -Ku (m.u)^2: the uniform state has -K per volume
    e_uniform = -K * mesh.cell_volume * mesh.ncells
    sigma = (system.energy() - e_uniform) / area
    assert sigma == pytest.approx(4 * math.sqrt(A * K), rel=0.01)


def test_wall_width_is_pi_sqrt_A_over_K(dtype):
    system, mesh = relaxed_wall(dtype)
    mz = system.m[2, :, 0, 0].double().numpy()
    x = mesh.axis_coordinates(0)
    theta = np.arccos(np.clip(mz, -1, 1))
    i = int(np.argmin(np.abs(mz)))
    slope = abs(np.gradient(theta, x)[i])          # d theta/dx at the centre = 1/Delta
    assert math.pi / slope == pytest.approx(math.pi * DELTA, rel=0.01)
