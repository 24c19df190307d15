"""The ubermag translation against pymag's own API: the same problem written with
micromagneticmodel and with pymag gives the same energies and fields (one test per term),
and input pymag cannot take is refused with an error that names it."""
import json

import pytest

pytest.importorskip("discretisedfield", reason="needs the ubermag extra: pip install 'pymag[ubermag-test]' (make test installs it)")

import discretisedfield as df
import micromagneticmodel as mm
import numpy as np
import torch

import pymag as pm
import pymag.ubermag as pc
from pymag.errors import PymagError

# two float64 evaluations of the same sums in a different order differ by rounding only
RTOL = 1e-12
MS = 8e5
P1, P2 = (0, 0, 0), (12e-9, 8e-9, 4e-9)
CELL = (2e-9, 2e-9, 2e-9)
SUBREGIONS = {"a": df.Region(p1=(0, 0, 0), p2=(6e-9, 8e-9, 4e-9)),
              "b": df.Region(p1=(6e-9, 0, 0), p2=(12e-9, 8e-9, 4e-9))}


def texture(pos):
    x, y, z = pos
    return (np.cos(3e8 * x), np.sin(3e8 * x) * np.cos(2e8 * y), 0.3 + np.sin(2e8 * y + 1e8 * z))


def ubermag_system(energy, dynamics=None, name="translation"):
    mesh = df.Mesh(p1=P1, p2=P2, cell=CELL, subregions=SUBREGIONS)
    system = mm.System(name=name)
    system.energy = energy
    if dynamics is not None:
        system.dynamics = dynamics
    system.m = df.Field(mesh, nvdim=3, value=texture, norm=MS)
    return system


def native(terms, **material):
    """The same film built with pymag: cells from the ubermag field, regions a (x < 6 nm), b."""
    data = pm.io.from_field(ubermag_system(mm.Zeeman(H=(0, 0, 0))).m)
    half = pm.Cuboid(size=(6e-9, 8e-9, 4e-9))
    regions = [pm.Region(half.translate(-3e-9, 0, 0), {}, "a"), pm.Region(half.translate(3e-9, 0, 0), {}, "b")]
    return pm.System(data.mesh, material={"Ms": MS, **material}, terms=terms, m=data.m, regions=regions)


def energies(system):
    with torch.no_grad():
        return system.energies()


def test_exchange_with_an_interface_value():
    translated = pc.Translation(ubermag_system(mm.Exchange(A={"a": 1e-11, "b": 2e-11, "a:b": -5e-12}))).pm_system
    x = pm.io.from_field(ubermag_system(mm.Zeeman(H=(0, 0, 0))).m).mesh.coordinates()[0]
    reference = native([pm.Exchange(interfaces={("a", "b"): -5e-12})], A=np.where(x < 0, 1e-11, 2e-11))
    assert energies(translated)["exchange"] == pytest.approx(energies(reference)["exchange"], rel=RTOL)


def test_zeeman_field_valued_and_sine_in_time():
    mesh = df.Mesh(p1=P1, p2=P2, cell=CELL, subregions=SUBREGIONS)
    H = df.Field(mesh, nvdim=3, value=lambda p: (1e5, 2e4 * p[0] / 1e-8, -3e4))
    source = ubermag_system(mm.Zeeman(H=H, func="sin", f=2e9, t0=1e-11))
    translated = pc.Translation(source).pm_system
    translated.t = 2e-10
    phase = np.sin(2 * np.pi * 2e9 * (2e-10 - 1e-11))
    reference = native([pm.Zeeman(H=np.moveaxis(H.array, -1, 0) * phase)])
    assert energies(translated)["zeeman"] == pytest.approx(energies(reference)["zeeman"], rel=RTOL)


def test_uniaxial_anisotropy_of_two_orders_per_subregion():
    source = ubermag_system(mm.UniaxialAnisotropy(K1={"a": 4e5, "b": 1e5}, K2=2e4, u=(1, 1, 0)))
    x = pm.io.from_field(source.m).mesh.coordinates()[0]
    reference = native([pm.UniaxialAnisotropy()], Ku=np.where(x < 0, 4e5, 1e5), Ku2=2e4, Ku_axis=(1, 1, 0))
    translated = pc.Translation(source).pm_system
    assert energies(translated)["uniaxialanisotropy"] == pytest.approx(energies(reference)["anisotropy"], rel=RTOL)


def test_cubic_anisotropy():
    source = ubermag_system(mm.CubicAnisotropy(K=-3e4, u1=(1, 0, 0), u2=(0, 1, 1)))
    reference = native([pm.CubicAnisotropy()], Kc=-3e4, Kc_axes=((1, 0, 0), (0, 1, 1)))
    assert energies(pc.Translation(source).pm_system)["cubicanisotropy"] == pytest.approx(
        energies(reference)["cubic_anisotropy"], rel=RTOL)


@pytest.mark.parametrize("crystalclass,kind,key", [("Cnv_z", "cnv_z", "D_cnv"), ("T", "bulk", "D_bulk"),
                                                   ("D2d_y", "d2d_y", "D_d2d")])
def test_dmi_crystal_classes(crystalclass, kind, key):
    source = ubermag_system(mm.DMI(D=3e-3, crystalclass=crystalclass))
    reference = native([pm.DMI(kind)], **{key: 3e-3})
    assert energies(pc.Translation(source).pm_system)["dmi"] == pytest.approx(energies(reference)["dmi"], rel=RTOL)


def test_dmi_with_an_interface_value():
    source = ubermag_system(mm.DMI(D={"a": 1e-3, "b": 2e-3, "a:b": -4e-3}, crystalclass="Cnv_z"))
    x = pm.io.from_field(source.m).mesh.coordinates()[0]
    reference = native([pm.DMI("cnv_z", interfaces={("a", "b"): -4e-3})], D_cnv=np.where(x < 0, 1e-3, 2e-3))
    assert energies(pc.Translation(source).pm_system)["dmi"] == pytest.approx(energies(reference)["dmi"], rel=RTOL)


def test_demag():
    reference = native([pm.Demag()])
    assert energies(pc.Translation(ubermag_system(mm.Demag())).pm_system)["demag"] == pytest.approx(
        energies(reference)["demag"], rel=RTOL)


def test_rkky_between_subregions_across_x():
    source = ubermag_system(mm.RKKY(sigma=-2e-4, sigma2=1e-5, subregions=["a", "b"]))
    reference = native([pm.InterlayerExchange(J1=-2e-4, J2=1e-5, top="b", bottom="a")])
    assert energies(pc.Translation(source).pm_system)["rkky"] == pytest.approx(
        energies(reference)["interlayer_exchange"], rel=RTOL)


def test_precession_and_damping_per_subregion():
    dynamics = mm.Precession(gamma0={"a": 2.2e5, "b": 1.1e5}) + mm.Damping(alpha={"a": 0.1, "b": 0.3})
    source = ubermag_system(mm.Zeeman(H=(0, 0, 1e5)), dynamics)
    x = pm.io.from_field(source.m).mesh.coordinates()[0]
    reference = native([pm.Zeeman(H=(0, 0, 1e5))], gamma=np.where(x < 0, 2.2e5, 1.1e5),
                       alpha=np.where(x < 0, 0.1, 0.3))
    translated = pc.Translation(source).pm_system
    runs = [s.run(2e-11, method="rk4", dt=1e-13, progress=False) for s in (translated, reference)]
    np.testing.assert_allclose(runs[0].final_m.numpy(), runs[1].final_m.numpy(), rtol=0, atol=1e-12)


def test_a_term_without_counterpart_is_named():
    source = ubermag_system(mm.MagnetoElastic(B1=1e7, B2=1e7, e_diag=(1e-3, 0, 0), e_offdiag=(0, 0, 0)))
    with pytest.raises(PymagError, match="MagnetoElastic"):
        pc.Translation(source)


def test_an_unknown_evolver_argument_is_named():
    with pytest.raises(AttributeError, match="stepsize"):
        pc.RungeKuttaEvolver(stepsize=1e-13)


def test_an_unknown_drive_argument_is_named():
    source = ubermag_system(mm.Zeeman(H=(0, 0, 1e5)), mm.Damping(alpha=1))
    with pytest.raises(ValueError, match="tmax"):
        pc.TimeDriver().drive(source, t=1e-12, n=1, tmax=2)


def test_physics_on_an_evolver_is_refused_with_where_it_belongs():
    with pytest.raises(ValueError, match="system.T"):
        pc.UHH_ThetaEvolver(temperature=300)


def test_hysteresis_field_column_is_positive_at_hmax(tmp_path, monkeypatch):
    # the loop Hmax -> Hmin -> Hmax starts at Hmax = (0, 0, 1e5) A/m: B = mu0 H = 125.66 mT
    monkeypatch.chdir(tmp_path)
    system = ubermag_system(mm.Exchange(A=1e-11))
    pc.HysteresisDriver().drive(system, Hmin=(0, 0, -1e5), Hmax=(0, 0, 1e5), n=3)
    B = system.table.data["B_hysteresis"].to_numpy()
    np.testing.assert_allclose(B, np.array([1, 0, -1, 0, 1]) * 1e5 * 4e-7 * np.pi * 1e3, rtol=1e-6, atol=1e-9)


def test_a_scheduled_drive_runs_as_a_job_and_reads_back(tmp_path, monkeypatch):
    # "sh" stands for the scheduler: it runs the job script at once; the job's drive must equal
    # the same drive run directly (same translation, same steps), to rounding
    import micromagneticdata as md
    monkeypatch.chdir(tmp_path)
    (tmp_path / "header").write_text("#!/bin/sh\n")
    runs = {}
    for way in ("direct", "job"):
        system = ubermag_system(mm.Exchange(A=1e-11) + mm.Zeeman(H={"a": (0, 0, 1e5), "b": (1e5, 0, 0)}),
                                mm.Precession(gamma0=mm.consts.gamma0) + mm.Damping(alpha=0.5), name=way)
        if way == "direct":
            pc.TimeDriver().drive(system, t=2e-11, n=4)
        else:
            pc.TimeDriver().schedule(system, "sh", "header", t=2e-11, n=4)
        runs[way] = md.Data(way)[0]
    assert runs["job"].n == 4
    np.testing.assert_allclose(runs["job"][3].array, runs["direct"][3].array, rtol=0, atol=1e-6 * MS)
    info = json.loads((tmp_path / "job" / "drive-0" / "info.json").read_text())
    assert info["success"] is True and "end_time" in info
