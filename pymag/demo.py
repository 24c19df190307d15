"""The default demo: a two-layer permalloy film cools from a random state into vortices.

A 384 x 384 x 6 nm film (96 x 96 x 2 cells of 4 x 4 x 3 nm, float32) starts from the
NeuralMAG paper's blockwise random in-plane state and is integrated with alpha = 1 for
up to 1.5 ns (or until the torque is small): the random domains collapse into a few
vortices and antivortices. Writes the initial and final states, the final winding
density with the cores marked, the table (table.txt) and the final state as OVF.
"""
import time

from . import analysis, init, viz
from .io.output import TableFile
from .mesh import Mesh
from .system import System
from .terms import Demag, Exchange
from .units import nm, ns, ps


def vortex_film(out, n=96, seed=2, progress=True):
    """Run the demo, writing its files into the folder ``out``; returns the system."""
    start = time.perf_counter()
    mesh = Mesh(n=(n, n, 2), cell=(4 * nm, 4 * nm, 3 * nm))
    system = System(mesh, material={"Ms": 8.6e5, "A": 1.3e-11, "alpha": 1.0},
                    terms=[Exchange(), Demag()], m=init.random_blocks(8, seed=seed), dtype="float32")
    viz.plot_m(system, out / "initial.png", title="random start")
    table = system.run(1.5 * ns, save_every=10 * ps, max_torque=100.0, progress=progress)
    file = TableFile(out / "table.txt")
    for row in table.rows():
        file.write(row)
    viz.plot_m(system, out / "final.png", title=f"t = {system.t / ns:.2f} ns")
    viz.plot_winding(system, out / "winding.png")
    system.save(out / "final.ovf")
    nv, na = analysis.vortex_count(system)
    print(f"{table.steps} steps to t = {system.t / ns:.3f} ns ({table.stop_reason}), "
          f"{nv} vortices and {na} antivortices, max torque {system.torque():.1f} A/m, "
          f"wall time {time.perf_counter() - start:.1f} s")
    for core in analysis.find_vortices(system):
        print(f"  {core.label:7s} at ({core.x / nm:6.1f}, {core.y / nm:6.1f}) nm")
    print(f"wrote initial.png, final.png, winding.png, table.txt and final.ovf to {out}/")
    return system
