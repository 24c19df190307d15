"""examples/thermal_switching.py: Neel-Arrhenius switching of uniaxial particles under pm.Thermal,
on small settings, against the exact mean first-passage time of Brown's Fokker-Planck equation."""
import csv
import pathlib
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))

import thermal_switching as ts  # noqa: E402


@pytest.mark.parametrize("sigma", [20.0, 40.0])
def test_browns_law_is_the_high_barrier_limit_of_the_exact_passage_time(sigma):
    # Brown's tau0 exp(sigma) is the leading term of the asymptotic series of the exact mean
    # first-passage time; the next term is O(1/sigma) (ratio 1.035 at sigma = 30)
    ratio = ts.exact_time(sigma, 1.0) / ts.brown_time(sigma, 1.0)
    assert 1 < ratio < 1 + 1.5 / sigma


def test_browns_law_takes_gamma_ll_and_alpha_as_written():
    # 1/tau0 = alpha gamma_LL/(1+alpha^2) mu0 H_K sqrt(sigma/pi) = sigma^(3/2)/(sqrt(pi) tau_D):
    # the prefactor in units of Brown's diffusion time
    for alpha in (0.1, 1.0, 3.0):
        tau0 = ts.brown_time(4.0, alpha) / ts.math.exp(4.0)
        assert tau0 == pytest.approx(ts.math.sqrt(ts.math.pi) * ts.diffusion_time(alpha) / 4.0**1.5, rel=1e-12)


def test_the_example_switches_at_the_exact_mean_passage_time(tmp_path, monkeypatch):
    # 256 particles at sigma = 2 all switch; the mean's standard error is ~6 %: the simulated
    # mean must lie within 4 standard errors of the exact one
    monkeypatch.setattr(sys, "argv", ["thermal_switching.py", "--sigma", "2", "--n", "16", "--out", str(tmp_path)])
    ts.main()
    assert (tmp_path / "switching.png").stat().st_size > 0
    with open(tmp_path / "switching.csv") as f:
        row = next(csv.DictReader(f))
    mean, error, exact = float(row["mean_s"]), float(row["stderr_s"]), float(row["exact_s"])
    assert abs(mean - exact) < 4 * error and error < 0.1 * exact
