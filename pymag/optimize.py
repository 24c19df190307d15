"""pm.optimize: gradient-based minimisation of a loss over tensors, for inverse problems."""
import inspect
from dataclasses import dataclass

import numpy as np
import torch

from .drivers.progress import progress_bar
from .errors import PymagError
from .io.table import Table

METHODS = ("adam", "lbfgs")
LINE_SEARCH_EVALUATIONS = 25   # the most loss evaluations of one L-BFGS iteration


@dataclass
class OptimizeResult:
    """What ``pm.optimize`` found: ``values`` (detached copies of the parameters at the lowest
    loss met), ``loss`` (that loss), ``history`` (a Table: ``iteration``, ``loss`` and, for
    parameters of up to 8 numbers, one column per number, ``p0``, ``p1_0``, ...),
    ``iterations`` and ``converged`` (True when the loss fell below ``tol`` or an iteration
    left the parameters unchanged: L-BFGS does so at a stationary point)."""

    values: list
    loss: float
    history: Table
    iterations: int
    converged: bool


def optimize(fn, params, method="adam", max_iter=100, lr=None, tol=None, progress=True, callback=None):
    """Minimise ``fn`` over the tensors ``params`` with torch.optim.

    Parameters
    ----------
    fn : callable
        The loss, a 0-dim tensor: ``fn()`` when it takes no arguments, else ``fn(*params)``.
    params : list of torch.Tensor
        Leaf tensors with ``requires_grad=True``; they are changed in place.
    method : {"adam", "lbfgs"}
        Adam (``lr`` default 0.01) or L-BFGS with a strong-Wolfe line search (``lr`` default 1);
        one L-BFGS iteration may evaluate ``fn`` several times (at most 25).
    max_iter : int
        Number of iterations.
    lr : float, optional
        Learning rate (step scale), in the units of the parameters.
    tol : float, optional
        Stop when the loss falls below ``tol``.
    progress : bool
        Show a progress bar on loops longer than a few seconds.
    callback : callable, optional
        ``callback(iteration, loss, params)`` after every iteration.

    Returns
    -------
    OptimizeResult
    """
    params = list(params) if isinstance(params, (list, tuple)) else [params]
    for i, p in enumerate(params):
        if not isinstance(p, torch.Tensor):
            raise PymagError(f"optimize: parameter {i} is a {type(p).__name__}, not a torch tensor")
        if not p.requires_grad:
            raise PymagError(f"optimize: parameter {i} does not require gradients; make it with "
                             "torch.tensor(..., requires_grad=True)")
        if not p.is_leaf:
            raise PymagError(f"optimize: parameter {i} is computed from other tensors; pass the leaf "
                             "tensor (the one created with requires_grad=True)")
    if method not in METHODS:
        raise PymagError(f"optimize: unknown method {method!r}; choose one of {METHODS}")
    if not (isinstance(max_iter, int) and max_iter >= 1):
        raise PymagError(f"optimize: max_iter must be a positive integer, got {max_iter!r}")
    takes_args = any(p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                     for p in inspect.signature(fn).parameters.values())

    def closure():
        optimizer.zero_grad()
        loss = fn(*params) if takes_args else fn()
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            raise PymagError(f"optimize: the loss must be a one-number tensor, got {type(loss).__name__}")
        if not loss.requires_grad:
            raise PymagError("optimize: the loss does not depend on the parameters through autograd "
                             "(for runs use run(differentiable=True) or adjoint=True)")
        loss.backward()
        return loss

    if method == "adam":
        optimizer = torch.optim.Adam(params, lr=0.01 if lr is None else lr)
    else:
        # one iteration per step, its line search allowed up to LINE_SEARCH_EVALUATIONS losses
        optimizer = torch.optim.LBFGS(params, lr=1.0 if lr is None else lr, max_iter=1,
                                      max_eval=LINE_SEARCH_EVALUATIONS, line_search_fn="strong_wolfe")
    history = Table()
    best, best_loss, converged = None, float("inf"), False
    bar = progress_bar(progress, max_iter, unit="it")
    try:
        for iteration in range(max_iter):
            before = [p.detach().clone() for p in params]
            loss = float(optimizer.step(closure).detach())
            if not np.isfinite(loss):
                raise PymagError(f"optimize: the loss became {loss} at iteration {iteration}")
            if loss < best_loss:
                best, best_loss = before, loss
            history.append({"iteration": iteration, "loss": loss, **_columns(before)})
            bar.update(1)
            if callback is not None:
                callback(iteration, loss, params)
            if (tol is not None and loss < tol) or all(torch.equal(b, p) for b, p in zip(before, params)):
                converged = True   # below tol, or the optimizer stopped moving (a stationary point)
                break
    finally:
        bar.close()
    return OptimizeResult(best, best_loss, history, len(history), converged)


def _columns(values):
    """Table columns of small parameters: p<i> for a number, p<i>_<j> for the numbers of a tensor."""
    out = {}
    for i, v in enumerate(values):
        if v.numel() == 1:
            out[f"p{i}"] = float(v)
        elif v.numel() <= 8:
            out.update({f"p{i}_{j}": float(x) for j, x in enumerate(v.flatten())})
    return out
