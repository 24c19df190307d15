"""Gradients through pymag computations against central finite differences.

Reference: the central difference (f(p + h) - f(p - h)) / 2h of the same computation without
autograd; its truncation error is O(h^2 f''') and its rounding error O(eps f / h), both
below 1e-8 relative for the steps chosen here (h ~ 1e-5 of the value), so agreement to
1e-6 relative checks the backward pass, not the difference formula.
"""
import pytest
import torch

import pymag as pm

MESH = pm.Mesh(n=(4, 3, 1), cell=(5e-9, 5e-9, 3e-9))
M0 = (1.0, 0.3, 0.2)
F64 = torch.float64


def film(Ms=8e5, A=1.3e-11, alpha=0.1, h=2e4, m=M0):
    """A small permalloy-like film in a field h along y (A/m)."""
    return pm.System(MESH, material={"Ms": Ms, "A": A, "alpha": alpha},
                     terms=[pm.Exchange(), pm.Demag(), pm.Zeeman(H=lambda h: (0, h, 0))], m=m, params={"h": h})


def loss(m):
    """A smooth function of the end state: mean of m_y^2 plus the mean of m_x m_z."""
    return (m[1] ** 2).mean() + (m[0] * m[2]).mean()


def central(f, p, h):
    return (f(p + h) - f(p - h)) / (2 * h)


def leaf(value):
    return torch.tensor(value, dtype=F64, requires_grad=True)


RUN = {"rk4": dict(method="rk4", dt=1e-13), "rk45": dict(method="rk45", tol=1e-9)}


def run_loss(system, options, T=20e-12, **extra):
    table = system.run(T, progress=False, **options, **extra)
    return loss(table.final_m) if "differentiable" in extra or "adjoint" in extra else float(loss(system.m))


def test_static_demag_field_gradient_by_ms_map():
    # stray-field inverse problems: d/dMs_i of a loss of H_d for a per-cell Ms map
    torch.manual_seed(0)
    Ms = (6e5 + 4e5 * torch.rand(MESH.n, dtype=F64)).requires_grad_()
    s = pm.System(MESH, material={"Ms": Ms}, terms=[pm.Demag()], m=M0)
    (s.field("demag")[2] ** 2).mean().backward()

    def f(cell, value):
        Mv = Ms.detach().clone()
        Mv[cell] = value
        return float((pm.System(MESH, material={"Ms": Mv}, terms=[pm.Demag()], m=M0).field("demag")[2] ** 2).mean())

    for cell in [(0, 0, 0), (2, 1, 0), (3, 2, 0)]:
        fd = central(lambda v: f(cell, v), float(Ms.detach()[cell]), 10.0)
        assert float(Ms.grad[cell]) == pytest.approx(fd, rel=1e-6)


@pytest.mark.parametrize("method", ["rk4", "rk45"])
def test_run_gradient_by_a_material_value(method):
    A = leaf(1.3e-11)
    run_loss(film(A=A), RUN[method], differentiable=True).backward()
    fd = central(lambda a: run_loss(film(A=a), RUN[method]), 1.3e-11, 1e-16)
    assert float(A.grad) == pytest.approx(fd, rel=1e-6)


@pytest.mark.parametrize("method", ["rk4", "rk45"])
def test_run_gradient_by_a_field_parameter(method):
    h = leaf(2e4)
    run_loss(film(h=h), RUN[method], differentiable=True).backward()
    fd = central(lambda v: run_loss(film(h=v), RUN[method]), 2e4, 0.1)
    assert float(h.grad) == pytest.approx(fd, rel=1e-6)


def test_run_gradient_by_the_initial_state():
    m0 = torch.tensor(M0, dtype=F64).reshape(3, 1, 1, 1).expand(3, *MESH.n).clone().requires_grad_()
    run_loss(film(m=m0), RUN["rk4"], differentiable=True).backward()

    def f(v):
        m = m0.detach().clone()
        m[2, 1, 1, 0] = v
        return run_loss(film(m=m), RUN["rk4"])

    assert float(m0.grad[2, 1, 1, 0]) == pytest.approx(central(f, M0[2], 1e-6), rel=1e-6)


def test_adjoint_gradient_matches_finite_differences_and_backprop():
    # the adjoint integrates the same RK4 steps backward: it differs from backprop by the
    # O(dt^4) error of reconstructing the trajectory (far below 1e-5 at dt = 0.1 ps)
    grads = {}
    for mode in ("adjoint", "differentiable"):
        Ms, h = leaf(8e5), leaf(2e4)
        run_loss(film(Ms=Ms, h=h), RUN["rk4"], **{mode: True}).backward()
        grads[mode] = (float(Ms.grad), float(h.grad))
    fd_Ms = central(lambda v: run_loss(film(Ms=v), RUN["rk4"]), 8e5, 10.0)
    assert grads["adjoint"][0] == pytest.approx(fd_Ms, rel=1e-6)
    for a, b in zip(grads["adjoint"], grads["differentiable"]):
        assert a == pytest.approx(b, rel=1e-5)


def test_the_default_run_records_no_graph():
    Ms = leaf(8e5)
    s = film(Ms=Ms)
    s.run(1e-12, progress=False)
    assert not s.m.requires_grad


def test_a_plain_run_first_leaves_the_gradients_to_a_later_run():
    # a plain run builds the system without recording gradients; an adjoint run after it must
    # still find the tensors that require them. Both runs below start the differentiated part
    # from the same state, so the finite difference of that part alone is the reference
    start = film()
    start.run(5e-12, progress=False, **RUN["rk4"])
    m1 = start.m.numpy().copy()

    def second_run(Ms, **extra):
        s = film(Ms=Ms)
        s.run(5e-12, progress=False, **RUN["rk4"])
        s.m = m1
        return run_loss(s, RUN["rk4"], T=10e-12, **extra)

    Ms = leaf(8e5)
    second_run(Ms, adjoint=True).backward()
    assert float(Ms.grad) == pytest.approx(central(second_run, 8e5, 10.0), rel=1e-6)


def test_relax_and_minimize_record_no_graph():
    # they find equilibria, with no trajectory to differentiate: a graph would only grow
    for driver in ("relax", "minimize"):
        s = film(Ms=leaf(8e5))
        getattr(s, driver)()
        assert not s.m.requires_grad


def test_adjoint_needs_a_duration_and_something_to_differentiate():
    with pytest.raises(pm.PymagError, match="duration"):
        film(A=leaf(1.3e-11)).run(adjoint=True, max_torque=1.0, progress=False)
    with pytest.raises(pm.PymagError, match="requires_grad"):
        film().run(1e-12, adjoint=True, progress=False)


def test_a_provider_without_backward_pass_is_refused():
    s = film(Ms=leaf(8e5))
    s.term("demag").provider.differentiable = False   # as the compiled TensorRT engine is
    with pytest.raises(pm.PymagError, match="cannot be differentiated"):
        s.run(1e-12, differentiable=True, progress=False)


def test_optimize_recovers_ms_from_a_stray_field():
    # static inverse problem: the demag field of a uniformly magnetized film is linear in
    # Ms, so the least-squares loss has one minimum, at the Ms that made the "measurement";
    # Ms is optimized in units of 1e5 A/m (a parameter of order one) through system.params
    target = pm.System(MESH, material={"Ms": 8e5}, terms=[pm.Demag()], m=M0).field("demag").detach()
    ms = leaf(5.0)
    s = pm.System(MESH, material={"Ms": lambda ms: ms * 1e5}, terms=[pm.Demag()], m=M0, params={"ms": ms})
    result = pm.optimize(lambda: ((s.field("demag") - target) ** 2).mean() / target.pow(2).mean(), [ms],
                         method="lbfgs", max_iter=20, tol=1e-20, progress=False)
    # the loss is quadratic in ms: L-BFGS lands on the minimum to rounding
    assert float(ms) == pytest.approx(8.0, rel=1e-8)
    assert result.history["loss"][0] > 0.05 > result.loss


def test_optimize_refuses_parameters_without_gradients():
    with pytest.raises(pm.PymagError, match="parameter 0 does not require gradients"):
        pm.optimize(lambda: torch.zeros(()), [torch.tensor(1.0)], progress=False)
    x = leaf(1.0)
    with pytest.raises(pm.PymagError, match="leaf"):
        pm.optimize(lambda: torch.zeros(()), [2 * x], progress=False)
    with pytest.raises(pm.PymagError, match="unknown method"):
        pm.optimize(lambda: x ** 2, [x], method="newton", progress=False)


@pytest.mark.parametrize("method", ["fft", "unet"])
def test_demag_providers_are_differentiable(method):
    # H_d = Ms f(m) for a uniform Ms (the U-Net predicts the field in units of Ms), so
    # L = mean(H_d^2) = Ms^2 mean(f^2) and dL/dMs = 2 L / Ms exactly; float32 rounding of
    # the sums leaves ~1e-6 relative
    Ms = torch.tensor(8e5, dtype=torch.float32, requires_grad=True)
    s = pm.System(pm.Mesh(n=(16, 16, 2), cell=(3e-9,) * 3), material={"Ms": Ms}, terms=[pm.Demag(method=method)],
                  m=pm.init.random(seed=1), dtype="float32")
    L = (s.field("demag") ** 2).mean()
    L.backward()
    assert float(Ms.grad) == pytest.approx(2 * float(L.detach()) / 8e5, rel=1e-5)


def test_adjoint_of_a_strongly_damped_run_matches_backprop():
    # integrated backward, damping turns into growth: the stiffest exchange mode of 3 nm cells
    # (gamma H_ex ~ 5e12 /s) at alpha = 0.5 grows e^75 over 30 ps. The forward states kept
    # at checkpoints (every ~3.5 ps by default, growth <= 1e4 between two) keep the backward
    # pass on the trajectory, so the adjoint gradient equals backpropagation's to 1e-5
    mesh = pm.Mesh(n=(8, 8, 1), cell=(3e-9,) * 3)
    grads = []
    for mode in ("adjoint", "differentiable"):
        h = leaf(2e4)
        s = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.5},
                      terms=[pm.Exchange(), pm.Demag(), pm.Zeeman(H=lambda h: (0, h, 0))],
                      m=pm.init.random(seed=2), params={"h": h})
        table = s.run(30e-12, method="rk4", dt=1e-13, progress=False, **{mode: True})
        loss(table.final_m).backward()
        grads.append(float(h.grad))
    assert grads[0] == pytest.approx(grads[1], rel=1e-5)
