"""The model pymag ships: trained by pymag's pipeline, metadata beside it, accurate against the
exact FFT field on states it never saw, and usable in the paper's cooling workflow."""
import json
import pathlib
import warnings

import pytest
import torch

import pymag as pm
from pymag.analysis import vortex_count
from pymag.demag import get_provider
from pymag.unet import rotate90
from pymag.unet.augment import flip
from pymag.unet.checkpoint import load_model
from pymag.unet.evaluate import MH_THRESHOLDS, field_error, mh_curves
from pymag.unet.generate import make_shard
from pymag.unet.layout import from_channels, to_channels

DEFAULT = pathlib.Path(pm.unet.DEFAULT_MODEL)
# the bound on the relative L2 error of H_d at 64 x 64; the shipped model (the paper's
# U-Net plus the exact field within 8 cells, trained in one hour) measures 0.9-1.2 % on fresh
# states (docs/unet.md)
TARGET = 0.05


@pytest.mark.parametrize("path, near", [(DEFAULT, 8), (pathlib.Path(pm.unet.PAPER_MODEL), 0)])
def test_the_shipped_models_come_with_their_metadata(path, near):
    assert path.exists() and path.stat().st_size < 10e6  # both together under 20 MB
    _, meta = load_model(path)
    info = json.loads(path.with_suffix(".json").read_text())
    assert info == json.loads(json.dumps(meta))
    assert info["layers"] == 2 and info["aspect"] == [1.0, 1.0] and info["channels"] == 16
    assert info.get("near", 0) == near
    assert info["info"]["command"].startswith("python -m pymag.unet")
    assert info["info"]["datasets"][0]["recipe"]["cell"] == pytest.approx(3e-9)


def test_default_model_field_on_unseen_states_of_64x64_films():
    err = field_error(64, films=2, samples=2, duration=0.05e-9, seed=2024)
    assert err["relative_error_mean"] <= TARGET


def test_default_model_turns_with_the_film():
    m, _ = make_shard(32, batch=1, samples=2, duration=0.05e-9, seed=[99, 1])
    mesh = pm.Mesh(n=(32, 32, 2), cell=(3e-9,) * 3)
    provider = get_provider("unet")(mesh, dtype=torch.float32)
    x = m[-1:] * 1e6
    turned = provider.field(from_channels(rotate90(x, 1), (1,), 2))
    expected = rotate90(to_channels(provider.field(from_channels(x, (1,), 2))), 1)
    diff = torch.linalg.vector_norm(to_channels(turned) - expected) / torch.linalg.vector_norm(expected)
    assert float(diff) < 2 * TARGET


def test_symmetric_average_turns_exactly_with_the_film_and_is_closer_to_fft():
    # the exact demag operator commutes with quarter turns and mirror images; the average of
    # the U-Net's answers over the eight of them does so exactly (to float32 rounding) and, on
    # unseen states, is closer to the exact FFT field than one answer (1.08 -> 0.97 % at 64)
    m, h = make_shard(32, batch=2, samples=3, duration=0.05e-9, seed=[99, 2])
    m, h = m[2:], h[2:]
    mesh = pm.Mesh(n=(32, 32, 2), cell=(3e-9,) * 3)
    plain, symmetric = (get_provider(k)(mesh, dtype=torch.float32) for k in ("unet", "unet_symmetric"))
    exact = from_channels(h, (len(h),), 2)

    def error(provider):
        return float(torch.linalg.vector_norm(provider.field(from_channels(m, (len(m),), 2)) - exact)
                     / torch.linalg.vector_norm(exact))

    assert error(symmetric) < error(plain)
    field = to_channels(symmetric.field(from_channels(m, (len(m),), 2)))
    for move in (lambda v: rotate90(v, 1), lambda v: flip(v, 1)):
        moved = to_channels(symmetric.field(from_channels(move(m), (len(m),), 2)))
        assert float(torch.linalg.vector_norm(moved - move(field)) / torch.linalg.vector_norm(field)) < 1e-5
    # an oblong film: its odd quarter turns are images of the transposed shape, run apart
    oblong = get_provider("unet_symmetric")(pm.Mesh(n=(32, 16, 2), cell=(3e-9,) * 3), dtype=torch.float32)
    x = m[:, :, :, 8:24]
    field = to_channels(oblong.field(from_channels(x, (len(x),), 2)))
    moved = to_channels(oblong.field(from_channels(flip(x, 0), (len(x),), 2)))
    assert float(torch.linalg.vector_norm(moved - flip(field, 0)) / torch.linalg.vector_norm(field)) < 1e-5


def test_cooling_with_fft_then_converging_with_the_unet():
    # the paper's workflow on eight random square films: FFT cooling to <= 5 vortices, then
    # the U-Net to convergence, against the FFT from the same cooled state, compared by the
    # vortex number (Table 1's criterion). The shipped model agrees on 90 % of 50 square films
    # at 32 with this minimize finish (docs/unet.md; its misses there are films on a ridge
    # whose FFT outcome itself changes with the finish); measured 6 of 8 here. At least 5 are
    # required: at 90 % precision fewer than 5 of 8 has a binomial tail of 0.5 %, and one
    # more film may tip on rounding elsewhere.
    mesh = pm.Mesh(n=(32, 32, 2), cell=(3e-9,) * 3)
    material = {"Ms": 1000 * pm.units.emu_per_cc, "A": 0.5e-6 * pm.units.erg_per_cm, "alpha": 0.1}
    agree = 0
    for seed in range(3, 11):
        system = pm.System(mesh, material=material, terms=[pm.Exchange(), pm.Demag(method="unet")],
                           m=pm.init.random_blocks(2, seed=seed), dtype="float32")
        system.set_demag("fft")
        system.run(until=lambda s: sum(vortex_count(s)) <= 5, progress=False)
        cooled = system.m.clone()
        system.set_demag("unet")
        system.minimize()
        with_unet = vortex_count(system)
        system.set_demag("fft")
        system.m = cooled
        system.minimize()
        agree += with_unet == vortex_count(system)
    assert agree >= 5


@pytest.mark.slow
def test_square_mh_loop_matches_fft_from_a_generic_start():
    # Seed 000's MH protocol (1000 to -1000 Oe in 10 Oe steps along an edge) on the 96 nm
    # square of the default material. Both fields agree within the paper's thresholds (dHc <
    # 25 Oe, dMr/Ms < 0.03) when the start breaks the film's symmetries and every field kicks
    # the state, as here (measured: Hc 562.7 Oe FFT, 562.8 Oe U-Net; Mr/Ms 0.751 / 0.757). From
    # the symmetric start (1, 0.05, 0) the exact FFT never excites the S mode that destabilises
    # the flower state first (near 950 Oe), follows the saddle to a C state and reverses at
    # 171 Oe: a branch a generic perturbation does not take (docs/unet.md, "MH").
    # Settled by minimize, ~10x cheaper than the protocol's relax; on this film it does not
    # leave the minimum early (on the 64 square it does, docs/unet.md)
    case = mh_curves("square", 32, settle="minimize")["cases"][0]
    assert case["dHc_Oe"] < MH_THRESHOLDS["Hc_Oe"] and case["dMr"] < MH_THRESHOLDS["Mr"]


def test_minimize_warns_that_a_learned_field_is_not_an_energy_gradient():
    # the exact convolution is a symmetric operator (an energy gradient), the U-Net is not
    mesh = pm.Mesh(n=(16, 16, 2), cell=(3e-9,) * 3)
    film = lambda method: pm.System(mesh, material={"Ms": 8e5, "A": 1e-11}, terms=[pm.Exchange(), pm.Demag(method)],
                                    m=(1, 0.1, 0), dtype=torch.float32)
    with pytest.warns(UserWarning, match="energy gradient"):
        pm.Ensemble([film("unet")]).minimize()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        film("fft").minimize()
