"""Command line and mumax3-style outputs: table.txt, numbered OVF snapshots, <script>.out."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import pymag as pm
from pymag.units import ns, ps


def precessing_spin(**options):
    """One spin in 0.1 T along z, starting along x, alpha = 0: it precesses at the Larmor
    frequency f = gamma0 H / 2 pi (gamma0 = 2.211e5 m/(A s))."""
    return pm.System(pm.Mesh(n=(1, 1, 1), cell=(2e-9,) * 3), material={"Ms": 8e5, "alpha": 0.0},
                     terms=[pm.Zeeman(B=(0, 0, 0.1))], m=(1, 0, 0), **options)


def test_autosave_writes_table_and_snapshots_at_fixed_times(tmp_path):
    system = precessing_spin()
    system.autosave(every=10 * ps, directory=tmp_path)
    system.run(0.1 * ns, progress=False)
    lines = (tmp_path / "table.txt").read_text().splitlines()
    assert lines[0].startswith("# t (s)\tmx ()\tmy ()\tmz ()\tE_total (J)")
    data = np.loadtxt(tmp_path / "table.txt")
    assert np.allclose(data[:, 0], np.arange(11) * 10 * ps, rtol=0, atol=1e-20)
    # Larmor precession, counterclockwise seen from +z for gamma > 0 in m x H sign convention
    omega = 2.211e5 * 0.1 / pm.units.mu0
    assert np.allclose(data[:, 1], np.cos(omega * data[:, 0]), atol=1e-4)
    snaps = sorted(tmp_path.glob("m*.ovf"))
    assert [p.name for p in snaps[:2]] == ["m000000.ovf", "m000001.ovf"] and len(snaps) == 11
    last = pm.io.load_ovf(snaps[-1])
    assert last.t == pytest.approx(0.1 * ns)
    assert last.array[0, 0, 0, 0] == pytest.approx(np.cos(omega * 0.1 * ns), abs=1e-4)


def test_autosave_numbering_goes_on_across_runs(tmp_path):
    system = precessing_spin()
    system.autosave(every=10 * ps, directory=tmp_path, snapshots=False)
    system.run(25 * ps, progress=False)
    system.run(25 * ps, progress=False)
    t = np.loadtxt(tmp_path / "table.txt")[:, 0]
    assert np.allclose(t, np.arange(6) * 10 * ps, atol=1e-20)  # 0..50 ps, nothing twice


def test_bad_autosave_interval_is_refused(tmp_path):
    with pytest.raises(pm.PymagError, match="interval"):
        precessing_spin().autosave(every=-1.0, directory=tmp_path)


def test_system_save_writes_ovf_and_vti(tmp_path):
    system = precessing_spin()
    system.save(tmp_path / "m.ovf")
    system.save(tmp_path / "m.vti")
    assert np.array_equal(pm.io.load_ovf(tmp_path / "m.ovf").array, system.m.numpy().astype(np.float32))
    assert (tmp_path / "m.vti").stat().st_size > 0
    with pytest.raises(pm.PymagError, match=".ovf or .vti"):
        system.save(tmp_path / "m.txt")


def test_cli_info_lists_version_and_providers():
    out = subprocess.run([sys.executable, "-m", "pymag", "info"], capture_output=True, text=True, check=True).stdout
    assert f"pymag {pm.__version__}" in out and "fft" in out


def test_cli_run_writes_into_script_out_folder(tmp_path):
    script = tmp_path / "spin.py"
    script.write_text(textwrap.dedent("""
        import sys
        import pymag as pm
        s = pm.System(pm.Mesh(n=(1, 1, 1), cell=(2e-9,) * 3), material={"Ms": 8e5, "alpha": 0.1},
                      terms=[pm.Zeeman(B=(0, 0, 0.1))], m=(1, 0, 0))
        s.autosave(every=float(sys.argv[1]))
        s.run(50e-12, progress=False)
        s.plot(pm.io.output_dir() / "m.png")
    """))
    subprocess.run([sys.executable, "-m", "pymag", "run", str(script), "10e-12"], check=True, cwd=tmp_path,
                   capture_output=True)
    out = tmp_path / "spin.out"
    assert sorted(p.name for p in out.glob("*.ovf")) == [f"m{i:06d}.ovf" for i in range(6)]
    assert (out / "table.txt").exists() and (out / "m.png").exists()
