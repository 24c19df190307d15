"""The torque terms, interlayer exchange and frozen cells on a CUDA device give the trajectory
they give on the CPU.

Reference: the same run on the CPU in float64. CUDA's FFT and reductions sum in another order,
so the two differ by rounding only: ~1e-15 per step, grown by the dynamics over a few hundred
steps to well below 1e-9. Skipped where PyTorch sees no CUDA device.
"""
import pytest
import torch

import pymag as pm
from pymag.units import nm

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


def bilayer(device, torque):
    mesh = pm.Mesh(n=(16, 8, 3), cell=(4 * nm, 4 * nm, 2 * nm))
    material = {"Ms": 8e5, "A": 1.3e-11, "alpha": 0.1}
    system = pm.System(mesh, material=material, m=pm.init.random(seed=1), device=device,
                       terms=[pm.Exchange(), pm.Demag(), pm.Zeeman(B=(0.01, 0.02, 0)), torque,
                              pm.InterlayerExchange(J1=-1e-4, top="upper", bottom="lower")])
    system.add_region(pm.Cuboid(size=(64 * nm, 32 * nm, 2 * nm)).translate(0, 0, 2 * nm), {}, "upper")
    system.add_region(pm.Cuboid(size=(64 * nm, 32 * nm, 2 * nm)).translate(0, 0, -2 * nm), {}, "lower")
    system.fix(pm.Cuboid(size=(4 * nm, 32 * nm, 6 * nm)).translate(-30 * nm, 0, 0))
    return system


TORQUES = {
    "zhang_li": lambda: pm.ZhangLi(j=(1e12, 2e11, 0), P=0.5, beta=0.05),
    "slonczewski": lambda: pm.Slonczewski(j=lambda t: 1e11, p=(1, 0, 0), P=0.4, Lambda=2, eps_prime=0.1),
    "spin_orbit": lambda: pm.SpinOrbitTorque(j=1e11, theta_SH=0.1, sigma=(0, 1, 0), field_like=0.3),
    "thermal": lambda: pm.Thermal(T=0.0, seed=3),
}


@pytest.mark.parametrize("name", sorted(TORQUES))
def test_a_run_on_cuda_follows_the_cpu_run(name):
    ends = []
    for device in ("cpu", "cuda"):
        system = bilayer(device, TORQUES[name]())
        system.run(20e-12, method="rk4", dt=5e-14, progress=False)
        ends.append(system.m.cpu())
    assert float((ends[0] - ends[1]).abs().max()) < 1e-9
