# ---
# jupyter:
#   jupytext:
#     formats: py:percent
# ---
# %% [markdown]
# # muMAG standard problem 4 with ubermag, pymag as the calculator
#
# The problem is described once with `micromagneticmodel` and `discretisedfield`, as in any
# ubermag notebook, and driven by `pymag.ubermag` in this process: no OOMMF or mumax3 needed.
# Needs `pip install "pymag[ubermag]"`. Reference: https://www.ctcms.nist.gov/~rdm/std4/spec4.html

# %%
import argparse

import discretisedfield as df
import micromagneticmodel as mm

import pymag as pm
import pymag.ubermag as pc


def sp4_system(cell=5e-9, name="sp4"):
    """The SP4 film (500 x 125 x 3 nm permalloy) in the S-state's starting direction."""
    mesh = df.Mesh(p1=(0, 0, 0), p2=(500e-9, 125e-9, 3e-9), cell=(cell, cell, 3e-9))
    system = mm.System(name=name)
    system.energy = mm.Exchange(A=1.3e-11) + mm.Demag()
    system.dynamics = mm.Precession(gamma0=mm.consts.gamma0) + mm.Damping(alpha=0.02)
    system.m = df.Field(mesh, nvdim=3, value=(1, 0.25, 0.1), norm=8e5)
    return system


def run(cell=5e-9, t=1e-9, n=200, dirname="."):
    """Relax the S-state, apply field 1 (-24.6, 4.3, 0) mT and run ``t`` (s) in ``n`` steps;
    returns the system, whose table holds <m>(t)."""
    system = sp4_system(cell)
    pc.MinDriver().drive(system, dirname=dirname)
    system.energy += mm.Zeeman(H=(-24.6e-3 / mm.consts.mu0, 4.3e-3 / mm.consts.mu0, 0))
    pc.TimeDriver().drive(system, t=t, n=n, dirname=dirname)
    return system


# %% [markdown]
# Run it, plot <m>(t), and read the drive back as micromagneticdata reads OOMMF drives.

# %%
def main():
    parser = argparse.ArgumentParser(description="muMAG SP4 through pymag's ubermag calculator")
    parser.add_argument("--cell", type=float, default=5.0, help="in-plane cell size in nm")
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir(args.out)
    system = run(args.cell * 1e-9, dirname=str(out))
    system.table.mpl(y=["mx", "my", "mz"], filename=str(out / "ubermag_sp4.png"))
    import micromagneticdata as md
    drive = md.Data(system.name, dirname=str(out))[-1]
    print(f"{drive!r}: {drive.n} steps, <my> max {system.table.data['my'].max():.3f}")
    print(f"wrote {out / 'ubermag_sp4.png'}")


if __name__ == "__main__":
    main()
