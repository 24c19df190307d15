"""SymPy expressions printed as PyTorch code: one Python function per list of expressions,
common subexpressions computed once."""
import math

import sympy as sp
import torch
from sympy.printing.pycode import PythonCodePrinter

# the elementary functions a density may use, and the torch function each becomes
FUNCTIONS = {sp.sin: "torch.sin", sp.cos: "torch.cos", sp.tan: "torch.tan", sp.asin: "torch.asin",
             sp.acos: "torch.acos", sp.atan: "torch.atan", sp.atan2: "torch.atan2", sp.sinh: "torch.sinh",
             sp.cosh: "torch.cosh", sp.tanh: "torch.tanh", sp.exp: "torch.exp", sp.log: "torch.log",
             sp.Abs: "torch.abs", sp.sign: "torch.sign", sp.erf: "torch.erf"}


class TorchPrinter(PythonCodePrinter):
    """Python code on torch tensors; floats printed to the last bit."""

    def __init__(self):
        super().__init__({"user_functions": {f.__name__: name for f, name in FUNCTIONS.items()},
                          "fully_qualified_modules": True})

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Pow(self, expr, rational=False):
        return self._hprint_Pow(expr, rational=rational, sqrt="torch.sqrt")


def unsupported_functions(expr):
    """Names of the functions in ``expr`` that have no torch counterpart here."""
    return sorted({type(f).__name__ for f in expr.atoms(sp.Function) if type(f) not in FUNCTIONS})


def build(name, inputs, body, outputs):
    """A Python function ``name(*inputs)`` returning the tuple ``outputs``.

    Parameters
    ----------
    name : str
        Function name (shown in tracebacks).
    inputs : list of str
        Argument names.
    body : list of str
        Python statements run first (e.g. unpacking the arguments).
    outputs : list of (sympy.Expr or str)
        What the function returns: expressions in symbols named after the arguments and the
        names that ``body`` defines, or literal Python code.
    """
    exprs = [e for e in outputs if not isinstance(e, str)]
    temps, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_c"))
    printer = TorchPrinter()
    lines = [f"def {name}({', '.join(inputs)}):"] + [f"    {line}" for line in body]
    lines += [f"    {printer.doprint(value, assign_to=sym)}" for sym, value in temps]
    it = iter(reduced)
    printed = [e if isinstance(e, str) else printer.doprint(next(it)) for e in outputs]
    lines.append(f"    return ({''.join(p + ', ' for p in printed)})")
    source = "\n".join(lines)
    namespace = {"torch": torch, "math": math}
    exec(compile(source, f"<pymag.symbolic {name}>", "exec"), namespace)
    function = namespace[name]
    function.source = source
    return function
