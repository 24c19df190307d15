"""The U-Net pipeline end to end on tiny films: data shards, the CLI, evaluation, ONNX, TensorRT errors."""
import json
import math

import numpy as np
import pytest
import torch

import pymag as pm
from pymag.unet import export_onnx
from pymag.unet.__main__ import main
from pymag.unet.checkpoint import load_model
from pymag.unet.evaluate import (NOISE_FLOOR, compare_loops, evaluate, field_error, ground_states, markdown,
                                 mh_curves, paper_torque)
from pymag.unet.generate import generate, load_data, make_shard
from pymag.unet.layout import from_channels


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("data")
    generate(path, sizes=(16,), trajectories=2, batch=1, samples=3, duration=3e-12, log=lambda s: None)
    return path


@pytest.fixture(scope="module")
def model(folder, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "tiny.pt"
    main(["--threads", "1", "train", "--data", str(folder), "--out", str(path), "--epochs", "2", "--channels", "4"])
    return path


def test_shards_hold_trajectory_states_and_their_exact_demag_field():
    m, h = make_shard(16, batch=2, samples=3, duration=3e-12, seed=[5, 0])
    assert m.shape == h.shape == (6, 6, 16, 16) and m.dtype == torch.float32
    state = from_channels(m, (6,), 2)
    length = torch.linalg.vector_norm(state, dim=1)
    magnet = length > 0
    assert torch.allclose(length[magnet], torch.ones(()), atol=1e-5)
    assert float(state[:2, 2].abs().max()) == 0.0          # the starts lie in the plane
    assert float(state[2:, 2].abs().max()) > 1e-4           # the dynamics tilts them out of it
    for k in (0, 5):
        system = pm.System(pm.Mesh(n=(16, 16, 2), cell=(3e-9,) * 3), material={"Ms": 1e6 * magnet[k].numpy()},
                           terms=[pm.Demag()], m=state[k].double().numpy())
        H = system.field("demag") / 1e6
        assert torch.allclose(from_channels(h[k:k + 1], (), 2).double(), H, atol=1e-6)


def test_saturated_starts_are_uniform_in_plane_states():
    m, h = make_shard(16, batch=2, samples=3, duration=3e-12, seed=[5, 1], start="saturated")
    start = from_channels(m[:2], (2,), 2)
    for k in range(2):
        cells = start[k][:, torch.linalg.vector_norm(start[k], dim=0) > 0]
        assert float((cells - cells[:, :1]).abs().max()) == 0.0 and float(cells[2].abs().max()) == 0.0
    assert float(torch.linalg.vector_norm(h[:2])) > 0
    with pytest.raises(pm.PymagError, match="start must be"):
        generate("unused", sizes=(16,), trajectories=1, batch=1, start="vortex")


def test_films_of_random_materials_are_stored_in_units_of_their_own_Ms():
    from pymag.unet.generate import MATERIAL_RANGES, random_material, recipe_for
    draws = [random_material(np.random.default_rng(k)) for k in range(20)]
    lo, hi = MATERIAL_RANGES["Ms_emu_per_cc"]
    assert all(lo * 1e3 <= d["Ms"] <= hi * 1e3 and 3e-12 <= d["A"] <= 7e-12 for d in draws)
    m, h = make_shard(16, batch=1, samples=3, duration=3e-12, seed=[5, 0], recipe=recipe_for("random"))
    fixed, _ = make_shard(16, batch=1, samples=3, duration=3e-12, seed=[5, 0])
    state = from_channels(m, (3,), 2)
    length = torch.linalg.vector_norm(state, dim=1)
    assert torch.allclose(length[length > 0], torch.ones(()), atol=1e-5)   # unit amplitude, any Ms
    assert torch.equal(m[0], fixed[0]) and not torch.allclose(m[1:], fixed[1:])  # same start, other dynamics
    k = 2
    system = pm.System(pm.Mesh(n=(16, 16, 2), cell=(3e-9,) * 3), material={"Ms": 1e6 * (length[k] > 0).numpy()},
                       terms=[pm.Demag()], m=state[k].double().numpy())
    assert torch.allclose(from_channels(h[k:k + 1], (), 2).double(), system.field("demag") / 1e6, atol=1e-6)
    with pytest.raises(pm.PymagError, match="materials must be"):
        generate("unused", sizes=(16,), trajectories=1, batch=1, materials="permalloy")


def test_generation_resumes_extends_and_refuses_other_settings(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [s["file"] for s in manifest["shards"]] == ["shard0000_w16.pt", "shard0001_w16.pt"]
    before = (folder / "shard0000_w16.pt").stat().st_mtime_ns
    generate(folder, sizes=(16,), trajectories=2, batch=1, samples=3, duration=3e-12, log=lambda s: None)
    assert (folder / "shard0000_w16.pt").stat().st_mtime_ns == before
    with pytest.raises(pm.PymagError, match="holds data made with"):
        generate(folder, sizes=(16,), trajectories=2, batch=1, samples=4, duration=3e-12)
    data = load_data(folder)
    assert list(data) == [16] and data[16][0].shape == (6, 6, 16, 16)


def test_the_cli_trains_a_model_and_writes_its_metadata(model):
    net, meta = load_model(model)
    assert meta["channels"] == 4 and len(meta["info"]["history"]) == 2
    info = json.loads(model.with_suffix(".json").read_text())
    assert info["info"]["command"].startswith("python -m pymag.unet")
    assert info["info"]["datasets"][0]["recipe"]["layers"] == 2
    assert info["info"]["datasets"][0]["pairs"] == {"16": 6}


def test_the_provider_is_exactly_linear_in_M(model):
    mesh = pm.Mesh(n=(16, 16, 2), cell=(3e-9,) * 3)
    system = pm.System(mesh, material={"Ms": 1e6}, terms=[pm.Demag(method="unet", model=model)],
                       m=pm.init.random_blocks(3, seed=2))
    M = system.Ms * system.m
    provider = system.term("demag").provider
    assert torch.allclose(provider.field(0.37 * M), 0.37 * provider.field(M), rtol=1e-10, atol=1e-9)


def test_evaluation_compares_unet_and_fft_runs(model, tmp_path):
    err = field_error(16, model, films=1, samples=2, duration=2e-12)
    assert err["states"] == 2 and 0 < err["relative_error_mean"] <= err["relative_error_max"]
    res = ground_states("material", 16, 2, model, batch=2, alpha=0.5, cool_time=10e-12, max_time=10e-12)
    assert len(res["cases"]) == 2 and 0 <= res["vortex_property_precision"] <= res["vortex_number_precision"] <= 1
    quick = ground_states("square", 16, 2, model, batch=2, cool_time=10e-12, finish="minimize")
    assert all(case["converged_fft"] for case in quick["cases"])
    text = markdown({"model": "tiny", "init_core": 5, "ground_states": [dict(res, seconds=1.0)],
                     "mh_curves": [], "field_error": [err]})
    assert "| material | 16 | 2 | 0.5 | llg |" in text and "| 16 | 2 |" in text
    assert paper_torque(0.0) == pytest.approx(1e8 / pm.units.gamma0)
    loops = mh_curves("square", 16, 5, model, step_Oe=200.0, settle="minimize")
    assert loops["films"] == 1 and len(loops["cases"]) == 1 and all(0 < mr <= 1 for mr in loops["cases"][0]["Mr"])
    # the paper's thresholds: dHc >= 25 Oe or dMr/Ms >= 0.03; a loop that never reverses has Hc NaN
    assert not compare_loops((100.0, 124.0), (0.8, 0.829))["discrepant"]
    assert compare_loops((100.0, 125.0), (0.8, 0.8))["discrepant"] and compare_loops((1, 1), (0.8, 0.77))["discrepant"]
    assert compare_loops((math.nan, math.nan), (1.0, 1.0))["dHc_Oe"] == 0.0
    assert compare_loops((math.nan, 400.0), (1.0, 1.0))["discrepant"]
    with pytest.raises(pm.PymagError, match="count >= 1"):
        mh_curves("shape", 16, 0, model)
    with pytest.raises(pm.PymagError, match="settle"):
        mh_curves("square", 16, 1, model, settle="lbfgs")
    with pytest.raises(pm.PymagError, match="mh_samples"):
        evaluate(tmp_path / "report", model=model, mh_samples=0)
    with pytest.raises(pm.PymagError, match="unknown group"):
        evaluate(tmp_path / "report", model=model, groups=["sqare"])


def test_a_stopped_evaluation_goes_on_where_it_left_off(model, tmp_path):
    out = tmp_path / "report"
    quick = dict(model=model, sizes=(16,), groups=("square",), mh_sizes=(), error_sizes=(16,), batch=1,
                 finish="minimize", log=lambda s: None)
    first = evaluate(out, samples=1, **quick)
    assert [r["samples"] for r in first["ground_states"]] == [1]
    report = json.loads((out / "report.json").read_text())
    report["ground_states"][0]["cases"][0]["kept"] = True      # a mark only the saved report carries
    report["field_error"][0]["kept"] = True
    (out / "report.json").write_text(json.dumps(report))
    more = evaluate(out, samples=2, **quick)
    cases = more["ground_states"][0]["cases"]
    assert len(cases) == 2 and cases[0].get("kept") and "kept" not in cases[1] and more["field_error"][0]["kept"]
    assert json.loads((out / "report.json").read_text())["ground_states"][0]["samples"] == 2
    with pytest.raises(pm.PymagError, match="other settings"):
        evaluate(out, samples=2, **dict(quick, batch=2))
    # a report written before the MH settle option existed settled by minimize
    del report["mh_settle"]
    (out / "report.json").write_text(json.dumps(report))
    assert evaluate(out, samples=2, **dict(quick, mh_settle="minimize"))["mh_settle"] == "minimize"
    with pytest.raises(pm.PymagError, match="mh_settle"):
        evaluate(out, samples=2, **quick)


def test_the_noise_floor_compares_the_fft_with_itself_in_float64():
    # the shards' float32 FFT field against the float64 FFT: the same field to float32 rounding
    err = field_error(16, method=NOISE_FLOOR, films=1, samples=2, duration=2e-12)
    assert err["relative_error_max"] < 1e-6
    # rounding does not decide the final state of a 48 nm square
    res = ground_states("square", 16, 2, batch=2, cool_time=10e-12, finish="minimize", method=NOISE_FLOOR)
    assert res["vortex_property_precision"] == 1.0
    with pytest.raises(pm.PymagError, match="takes no model"):
        evaluate("unused", model="any.pt", method=NOISE_FLOOR)


def test_onnx_export_matches_pytorch(model, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    path = export_onnx(tmp_path / "tiny.onnx", model, size=(20, 12))
    net, _ = load_model(model)
    x = torch.randn(3, 6, 20, 12)
    with torch.no_grad():
        expected = net(x).numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, {"m": x.numpy()})[0]
    assert np.allclose(got, expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_tensorrt_says_what_is_missing(model):
    system = pm.System(pm.Mesh(n=(16, 16, 2), cell=(3e-9,) * 3), material={"Ms": 1e6},
                       terms=[pm.Demag(method="tensorrt", model=model)])
    with pytest.raises(pm.ProviderError, match="NVIDIA GPU"):
        system.field()


def test_an_interrupted_llg_finish_goes_on_from_its_checkpoint(model, tmp_path, monkeypatch):
    import pymag.unet.evaluate as ev
    options = dict(batch=2, cool_time=10e-12, max_time=30e-12)
    whole = ground_states("square", 16, 2, model, **options)
    converged, calls = ev._converged, {"n": 0}

    def stopping(alpha):
        check = converged(alpha)

        def counted(m, H):
            calls["n"] += 1
            if calls["n"] == 5:  # in the FFT finish, after checkpoints at steps 20 and 40
                raise KeyboardInterrupt
            return check(m, H)
        return counted

    monkeypatch.setattr(ev, "FINISH_SAVE_EVERY", 20)
    monkeypatch.setattr(ev, "_converged", stopping)
    with pytest.raises(KeyboardInterrupt):
        ground_states("square", 16, 2, model, autosave=tmp_path, **options)
    monkeypatch.setattr(ev, "_converged", converged)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gs-square-16-0-fft.ckpt", "gs-square-16.json"]
    with pytest.raises(pm.PymagError, match="other settings.*max_time"):
        ground_states("square", 16, 2, model, autosave=tmp_path, **dict(options, max_time=40e-12))
    resumed = ground_states("square", 16, 2, model, autosave=tmp_path, **options)
    assert json.dumps(resumed["cases"]) == json.dumps(whole["cases"]) and not list(tmp_path.iterdir())  # NaN != NaN


def test_an_interrupted_mh_loop_goes_on_from_its_last_field(model, tmp_path, monkeypatch):
    import pymag.drivers.hysteresis as hyst
    whole = mh_curves("square", 16, 1, model, step_Oe=250.0, settle="minimize")
    settle, calls = hyst.SETTLE["minimize"], {"n": 0}

    def stop_in_the_unet_loop(target, **options):
        calls["n"] += 1
        if calls["n"] == 12:  # the FFT loop's 9 fields and 3 of the U-Net's
            raise KeyboardInterrupt
        return settle(target, **options)

    monkeypatch.setitem(hyst.SETTLE, "minimize", stop_in_the_unet_loop)
    with pytest.raises(KeyboardInterrupt):
        mh_curves("square", 16, 1, model, step_Oe=250.0, settle="minimize", autosave=tmp_path)
    monkeypatch.setitem(hyst.SETTLE, "minimize", settle)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mh-square-16-fft.ckpt", "mh-square-16-unet.ckpt",
                                                          "mh-square-16.json"]
    with pytest.raises(pm.PymagError, match="other settings.*step_Oe"):  # another loop must not start from this state
        mh_curves("square", 16, 1, model, step_Oe=200.0, settle="minimize", autosave=tmp_path)
    resumed = mh_curves("square", 16, 1, model, step_Oe=250.0, settle="minimize", autosave=tmp_path)
    assert json.dumps(resumed["cases"]) == json.dumps(whole["cases"])  # bit for bit (NaN != NaN)
    assert not list(tmp_path.iterdir())
