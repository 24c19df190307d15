"""Bad input raises a PymagError that names the problem, before any computation."""
import numpy as np
import pytest

import pymag as pm

MESH = pm.Mesh(n=(8, 4, 1), cell=(2e-9, 2e-9, 3e-9))
MAT = {"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02}


def test_negative_Ms():
    with pytest.raises(pm.MaterialError, match="Ms"):
        pm.System(MESH, material={**MAT, "Ms": -1.0}, terms=[pm.Exchange()]).energy()


def test_nan_parameter():
    with pytest.raises(pm.MaterialError, match="NaN"):
        pm.System(MESH, material={**MAT, "A": float("nan")}, terms=[pm.Exchange()]).energy()


def test_unknown_key():
    # keys are checked when the system is assembled (a term added later may read a key of
    # its own), before any field is computed
    with pytest.raises(pm.MaterialError, match="Msatt"):
        pm.System(MESH, material={"Msatt": 8e5}).m


def test_missing_parameter_names_key_and_region():
    system = pm.System(MESH, material=MAT, terms=[pm.Exchange(), pm.UniaxialAnisotropy()])
    with pytest.raises(pm.MissingParameterError, match=r"'Ku'.*'base'"):
        system.energy()


def test_missing_parameter_in_one_region():
    system = pm.System(MESH, material={"alpha": 0.1}, terms=[pm.Exchange()])
    system.add_region(pm.Universe(), {"Ms": 8e5, "A": 1e-11}, name="left")
    system.add_region(pm.Cuboid((4e-9, 8e-9, 3e-9)).translate(5e-9, 0, 0), {"Ms": 8e5}, name="strip")
    system.add_region(pm.Cuboid((2e-9, 8e-9, 3e-9)).translate(7e-9, 0, 0), {"Ms": 9e5, "A": 2e-11}, name="edge")
    with pytest.raises(pm.MissingParameterError, match=r"'A'.*'strip'"):
        system.energy()


def test_array_shape_mismatch():
    with pytest.raises(pm.ShapeMismatchError, match="shape"):
        pm.System(MESH, material={**MAT, "Ms": np.ones((4, 4, 1))}, terms=[pm.Exchange()]).energy()
    with pytest.raises(pm.ShapeMismatchError):
        pm.System(MESH, material=MAT, m=np.ones((3, 4, 4, 1)))


def test_nan_initial_state():
    with pytest.raises(pm.StateError):
        pm.System(MESH, material=MAT, m=(np.nan, 0, 1))


def test_unknown_provider():
    with pytest.raises(pm.ProviderError, match="fft"):
        pm.Demag(method="fast-multipole")


def test_mesh_too_large_for_memory():
    with pytest.raises(pm.OutOfMemoryError, match="GiB"):
        pm.System(pm.Mesh(n=(100000, 100000, 10), cell=1e-9), material=MAT, terms=[pm.Exchange()]).energy()


def test_mesh_without_units():
    with pytest.raises(pm.MeshError, match="units"):
        pm.Mesh(n=(10, 10, 1), cell=(2.5, 2.5, 3))


def test_empty_geometry():
    with pytest.raises(pm.MaterialError, match="no cell is magnetic"):
        pm.System(MESH, geometry=pm.Sphere(1e-10).translate(1, 0, 0), material=MAT).energy()


def test_bad_run_arguments():
    system = pm.System(MESH, material=MAT, terms=[pm.Exchange()])
    with pytest.raises(pm.PymagError, match="duration"):
        system.run(-1e-9)
    with pytest.raises(pm.PymagError, match="method"):
        system.run(1e-9, method="euler")
    for bad in ({"check_every": 0}, {"check_every": 1.5}, {"max_steps": 0}, {"tol": 1e-9, "min_tol": 1e-5}):
        with pytest.raises(pm.PymagError):
            system.relax(**bad)


def test_mumax_aliases():
    system = pm.System(MESH, material={"Msat": 8e5, "Aex": 1.3e-11, "alpha": 0.02}, terms=[pm.Exchange()])
    assert system.energy() == pytest.approx(0.0)
    assert float(system.Ms.max()) == 8e5
