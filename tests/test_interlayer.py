"""Interlayer (RKKY) exchange of two layers across a spacer against the analytic bilayer.

Energy per interface area e = -J1 (m1.m2) - J2 (m1.m2)^2 (ubermag's RKKY, OOMMF's
Oxs_TwoSurfaceExchange); two identical, uniformly magnetized layers of thickness t are two
macrospins coupled through it.
"""
import math
import pathlib
import sys

import numpy as np
import pytest
import torch

import pymag as pm
from pymag.units import mu0

MS, A_EX = 1e6, 1.3e-11
DX, DZ, LAYER = 5e-9, 1e-9, 2          # 4 x 4 cells of 5 nm per layer, 2 cells of 1 nm thick
THICKNESS = LAYER * DZ
AREA = (4 * DX) ** 2


def bilayer(J1, J2=0.0, top=(1, 0, 0), bottom=(1, 0, 0), B=None, names=("upper", "lower")):
    """Two 4 x 4 x 2-cell layers (regions ``names``) with a one-cell empty spacer between them,
    exchange inside each, the interlayer term, and an optional field ``B`` (T)."""
    mesh = pm.Mesh(n=(4, 4, 2 * LAYER + 1), cell=(DX, DX, DZ))
    offset = (LAYER + 1) * DZ / 2
    upper = pm.Cuboid((4 * DX, 4 * DX, THICKNESS)).translate(0, 0, offset)
    lower = pm.Cuboid((4 * DX, 4 * DX, THICKNESS)).translate(0, 0, -offset)

    def m0(x, y, z):
        above = z > 0
        return tuple(np.where(above, a, b) for a, b in zip(top, bottom))

    terms = [pm.Exchange(), pm.InterlayerExchange(J1=J1, J2=J2, top="upper", bottom="lower")]
    terms += [pm.Zeeman(B=B)] if B is not None else []
    return pm.System(mesh, geometry=upper | lower, material={"Ms": MS, "A": A_EX},
                     regions=[pm.Region(upper, {}, names[0]), pm.Region(lower, {}, names[1])], terms=terms, m=m0)


def layer_moments(system):
    """Mean unit magnetization of the upper and of the lower layer."""
    m = system.m.numpy()
    return m[..., LAYER + 1:].mean(axis=(1, 2, 3)), m[..., :LAYER].mean(axis=(1, 2, 3))


def angle_deg(a, b):
    return math.degrees(math.acos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1)))


def test_saturation_field_of_an_antiferromagnetic_bilayer():
    """Saturation field mu0 H_sat = -2 J1/(Ms t).

    With a field H along x and the layers at +-phi from it (the symmetric scissor state), the
    energy per area is E/A = -2 mu0 Ms t H cos(phi) - J1 cos(2 phi), so
    dE/dphi = 2 sin(phi) (mu0 Ms t H + 2 J1 cos(phi)) vanishes at cos(phi) = mu0 Ms t H/(-2 J1):
    the layers close like scissors until they are parallel at mu0 H_sat = -2 J1/(Ms t).
    Here J1 = -1e-4 J/m^2, Ms = 1 MA/m, t = 2 nm: 0.1 T. The exchange field inside a layer
    (2 A/dz against J1) is ~260 times the interlayer one, so each layer stays nearly uniform.
    """
    J1 = -1e-4
    B_sat = -2 * J1 / (MS * THICKNESS)
    angles = {}
    for factor in (0.99, 1.01):
        # start antiparallel along +-y, slightly tilted towards the field
        system = bilayer(J1, top=(0.05, 1, 0), bottom=(0.05, -1, 0), B=(factor * B_sat, 0, 0))
        system.minimize(stop=1e-9)
        angles[factor] = angle_deg(*layer_moments(system))
    # 1 % below saturation the macrospins stand 2 acos(0.99) = 16.2 deg apart; 1 % above they are
    # parallel: the saturation field lies within 1 % of the analytic value
    assert angles[0.99] > 8
    assert angles[1.01] < 0.1


def test_scissor_state_below_saturation():
    # the same bilayer at half the saturation field: cos(phi) = H/H_sat = 1/2 (derived in
    # test_saturation_field_of_an_antiferromagnetic_bilayer); the small non-uniformity across
    # each layer's two cells (|J1| dz/A ~ 1e-2 of the tilt) allows 1e-3
    J1 = -1e-4
    system = bilayer(J1, top=(0.05, 1, 0), bottom=(0.05, -1, 0), B=(0.5 * -2 * J1 / (MS * THICKNESS), 0, 0))
    system.minimize(stop=1e-9)
    top, bottom = layer_moments(system)
    assert top[0] == pytest.approx(0.5, abs=1e-3)
    assert bottom[0] == pytest.approx(0.5, abs=1e-3)
    assert top[1] == pytest.approx(-bottom[1], abs=1e-9)


def test_positive_coupling_makes_the_layers_parallel():
    # J1 > 0 lowers the energy -J1 A cos(angle) at angle 0: from 90 deg apart, the layers align
    system = bilayer(1e-4, top=(1, 0, 0), bottom=(0, 1, 0))
    system.minimize(stop=1e-9)
    assert angle_deg(*layer_moments(system)) < 0.1


@pytest.mark.parametrize("angle", [0, 60, 90, 150, 180])
def test_energy_of_uniform_layers(angle):
    # E = -A [J1 cos(angle) + J2 cos^2(angle)], A the interface area (ubermag's RKKY energy)
    J1, J2 = -3e-4, -1e-4
    a = math.radians(angle)
    system = bilayer(J1, J2, top=(1, 0, 0), bottom=(math.cos(a), math.sin(a), 0))
    expected = -AREA * (J1 * math.cos(a) + J2 * math.cos(a) ** 2)
    # float64 sums over 16 pairs: agreement to rounding
    assert system.energies()["interlayer_exchange"] == pytest.approx(expected, rel=1e-12, abs=1e-12 * AREA * abs(J1))


def test_field_on_the_facing_cells():
    # H = (J1 + 2 J2 cos) m_other/(mu0 Ms dz) on the two cells facing the spacer, zero elsewhere
    J1, J2, a = -3e-4, -1e-4, math.radians(60)
    other = np.array([math.cos(a), math.sin(a), 0])
    system = bilayer(J1, J2, top=(1, 0, 0), bottom=tuple(other))
    H = system.field("interlayer_exchange").numpy()
    scale = (J1 + 2 * J2 * math.cos(a)) / (mu0 * MS * DZ)
    expected = np.zeros_like(H)
    expected[..., LAYER + 1] = scale * other[:, None, None]               # lowest cell of the upper layer
    expected[..., LAYER - 1] = scale * np.array([1.0, 0, 0])[:, None, None]  # highest of the lower one
    np.testing.assert_allclose(H, expected, rtol=1e-12, atol=1e-12 * abs(scale))


def test_gradient_by_the_coupling_constant():
    # E is linear in J1: dE/dJ1 = -A cos(angle)
    J1 = torch.tensor(-2e-4, dtype=torch.float64, requires_grad=True)
    system = bilayer(J1, top=(1, 0, 0), bottom=(0.5, math.sqrt(3) / 2, 0))
    system.energy_tensor().backward()
    assert float(J1.grad) == pytest.approx(-AREA * 0.5, rel=1e-12)


def test_coupling_as_a_function_of_a_parameter():
    # J1 given as a function of a named parameter: E = -A J1 cos(angle) with the parameter's value
    system = bilayer(lambda j: j, top=(1, 0, 0), bottom=(-1, 0, 0))
    system.params.j = -2e-4
    assert system.energies()["interlayer_exchange"] == pytest.approx(-AREA * 2e-4, rel=1e-12)


def test_stacked_term_of_an_ensemble_gives_each_systems_field():
    # Term.stack of two systems with different J1 and states: the batched field of the stacked
    # states equals each system's own field
    systems = [bilayer(-1e-4, -2e-5, top=(1, 0, 0), bottom=(0, 1, 0)),
               bilayer(3e-4, 0.0, top=(0, 0, 1), bottom=(1, 1, 0))]
    terms = [s.term("interlayer_exchange") for s in systems]
    stacked = pm.InterlayerExchange.stack(terms)
    m = torch.stack([s.m for s in systems])
    H = stacked.field(m)
    E = stacked.energy(m)
    for i, (system, term) in enumerate(zip(systems, terms)):
        torch.testing.assert_close(H[i], term.field(system.m), rtol=1e-14, atol=0)
        torch.testing.assert_close(E[i], term.energy(system.m), rtol=1e-14, atol=0)


@pytest.mark.parametrize("kwargs,message", [
    (dict(top="nowhere"), "no region named 'nowhere'"),
    (dict(bottom="nowhere"), "no region named 'nowhere'"),
    (dict(top="lower", bottom="upper"), "lies below"),
    (dict(top="upper", bottom="base"), "share no"),
    (dict(J1=float("nan")), "J1 must be a finite number"),
    (dict(J2=(1, 2)), "J2 must be a finite number"),
], ids=["unknown-top", "unknown-bottom", "swapped", "not-facing", "nan", "vector"])
def test_bad_input_is_refused_at_assembly(kwargs, message):
    system = bilayer(-1e-4)
    system.remove("interlayer_exchange")
    system.add(pm.InterlayerExchange(**{"J1": -1e-4, "top": "upper", "bottom": "lower", **kwargs}))
    with pytest.raises(pm.PymagError, match=message):
        system.assemble()


def test_overlapping_regions_are_refused():
    # a lower region reaching above the bottom of the upper one in the same column
    mesh = pm.Mesh(n=(2, 2, 4), cell=(DX, DX, DZ))
    system = pm.System(mesh, material={"Ms": MS}, terms=[pm.InterlayerExchange(-1e-4)], m=(1, 0, 0))
    system.add_region(pm.Cuboid((2 * DX, 2 * DX, 3 * DZ)).translate(0, 0, 0.5 * DZ), name="upper")
    system.add_region(pm.Cuboid((2 * DX, 2 * DX, DZ)).translate(0, 0, 0.5 * DZ), name="lower")
    with pytest.raises(pm.PymagError, match="overlaps along z"):
        system.assemble()


def test_same_region_on_both_sides_is_refused():
    with pytest.raises(pm.PymagError, match="same region"):
        pm.InterlayerExchange(-1e-4, top="film", bottom="film")


def test_synthetic_antiferromagnet_example(tmp_path):
    # examples/synthetic_antiferromagnet.py on 4 x 4 cells per layer with 10 mT steps: the spin
    # flop and the saturation against the macrospin fields printed by the script (derived in its
    # docstring). Each transition is found to one field step; the 1 deg tilt of the field lowers
    # the flop field by a few mT more (measured: 90 mT against 92.7 mT with 5 mT steps)
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
    import synthetic_antiferromagnet as saf
    step = 0.01
    flop, saturation = saf.main(["--n", "4", "--steps", "55", "--max", "0.55", "--out", str(tmp_path)])
    flop_ref, saturation_ref = saf.analytic_fields()
    assert flop_ref - 2 * step <= flop <= flop_ref + step
    assert abs(saturation - saturation_ref) <= step
    assert (tmp_path / "saf.png").stat().st_size > 0
    assert np.loadtxt(tmp_path / "saf.csv", delimiter=",", skiprows=1).shape == (56, 3)
