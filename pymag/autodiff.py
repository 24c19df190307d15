"""Helpers for the differentiable path: values as tensors that keep their graph, and the
tensors a result can be differentiated by."""
import numpy as np
import torch


def as_tensor(value, dtype, device):
    """``value`` (a number, an array, a tensor, or a sequence mixing numbers and tensors) as a
    tensor of ``dtype`` on ``device``, keeping the autograd graph of the tensors in it.
    TypeError or ValueError when it is none of these."""
    if isinstance(value, torch.Tensor):
        return value.to(dtype=dtype, device=device)
    if isinstance(value, (tuple, list)) and any(isinstance(v, torch.Tensor) for v in value):
        return torch.stack([torch.as_tensor(v, dtype=dtype, device=device) for v in value])
    return torch.as_tensor(np.asarray(value, dtype=float), dtype=dtype, device=device)


def tensors_in(obj, depth=3):
    """Tensors held by ``obj``: itself, or the values of its attributes, dicts, tuples and
    lists, ``depth`` levels down."""
    if isinstance(obj, torch.Tensor):
        yield obj
    elif depth > 0:
        if isinstance(obj, dict):
            items = obj.values()
        elif isinstance(obj, (tuple, list)):
            items = obj
        elif hasattr(obj, "__dict__") and not isinstance(obj, type):
            items = vars(obj).values()
        else:
            return
        for item in items:
            yield from tensors_in(item, depth - 1)


def leaves(tensors):
    """The leaf tensors with ``requires_grad`` that ``tensors`` were computed from (the
    tensors themselves when they are leaves), each once, in the order met."""
    found, seen, stack = {}, set(), []
    for t in tensors:
        if not t.requires_grad:
            continue
        if t.grad_fn is None:
            found.setdefault(id(t), t)
        else:
            stack.append(t.grad_fn)
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        variable = getattr(node, "variable", None)
        if isinstance(variable, torch.Tensor):
            found.setdefault(id(variable), variable)
        stack.extend(next_node for next_node, _ in node.next_functions)
    return list(found.values())
