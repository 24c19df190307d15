"""Values set on the interface of two named regions: the bonds joining a magnetic cell of one
region to a magnetic cell of the other carry the given value instead of the mean of the two
cells' (Exchange's stiffness, a DMI constant), as ubermag's ``{"r1:r2": ...}`` keys, OOMMF's
region-pair values and mumax3's ext_InterExchange / ext_InterDind set them."""
import torch

from ..autodiff import as_tensor
from ..errors import PymagError


def check_pairs(interfaces, owner, unit):
    """``interfaces`` ({(name1, name2): value}) checked: PymagError naming ``owner`` for a key
    that is not a pair of two different region names, a pair given twice, or a constant value
    that is not a finite number (``unit`` names its unit). Returns a new dict."""
    pairs = {}
    for pair, value in dict(interfaces or {}).items():
        if not isinstance(pair, tuple) or len(pair) != 2 or not all(isinstance(name, str) and name for name in pair):
            raise PymagError(f"{owner} interfaces: a key must be a pair of region names (name1, name2), got {pair!r}")
        if pair[0] == pair[1]:
            raise PymagError(f"{owner} interfaces {pair!r}: a region has no interface with itself; "
                             "set its own value in the region's material")
        if frozenset(pair) in {frozenset(p) for p in pairs}:
            raise PymagError(f"{owner} interfaces: the pair {pair!r} is given twice")
        if not callable(value):
            constant(value, f"{owner} interfaces {pair!r}", unit, torch.float64, "cpu")
        pairs[pair] = value
    return pairs


def constant(value, where, unit, dtype, device):
    """``value`` as a 0-dim tensor; PymagError naming ``where`` when it is not a finite number."""
    try:
        out = as_tensor(value, dtype, device)
    except (TypeError, ValueError):
        out = None
    if out is None or out.dim() != 0 or not bool(torch.isfinite(out.detach())):
        raise PymagError(f"{where} must be a finite number ({unit}), got {value!r}")
    return out


def override(values, bonds, ctx, interfaces, owner, unit):
    """Per-axis bond values (dict axis -> tensor) with the bonds across each pair of
    ``interfaces`` set to its value (resolved at the assembly's time)."""
    out = dict(values)
    for pair, value in interfaces.items():
        where = f"{owner} interfaces {pair!r}"
        v = constant(ctx.resolve(value, where), where, unit, out[next(iter(out))].dtype, ctx.device) if out else None
        one, other = (torch.as_tensor(ctx.region_mask(name, where), device=ctx.device) & ctx.magnet for name in pair)
        for axis in out:
            one_l, one_r = bonds.pair(one, axis)
            other_l, other_r = bonds.pair(other, axis)
            out[axis] = torch.where((one_l & other_r) | (other_l & one_r), v, out[axis])
    return out
