"""The small part of Tcl that ubermag's ``tcl_strings`` time functions use, evaluated in Python.

OOMMF runs such scripts in its Tcl interpreter; pymag has none, so it reads the procedure
(``proc NAME { ARGS } { BODY }``) and evaluates its body with the commands ``set``, ``expr``
(arithmetic and the math functions of Tcl's ``expr``), ``list`` and ``return``, and ``$name``
substitution. A script that uses any other command raises a PymagError naming it.
``expr`` computes in floating point: Tcl's integer division of two integer literals
(``1/2`` is 0 in Tcl) is not reproduced, so write such constants as ``1./2``.
"""
import math

from ..errors import PymagError

MATH = {name: getattr(math, name) for name in (
    "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "exp", "log",
    "log10", "sqrt", "pow", "hypot", "floor", "ceil", "fmod")}
MATH.update(abs=abs, double=float, int=int, round=round, min=min, max=max)


class _Return(Exception):
    def __init__(self, value):
        self.value = value


def procedure(script, name):
    """The procedure ``name`` of the Tcl ``script`` as a Python callable of its arguments.

    Parameters
    ----------
    script : str
        Tcl source holding ``proc name { args } { body }``.
    name : str
        The procedure's name (ubermag's ``script_name``).

    Returns
    -------
    callable
        f(*args) -> float or list of floats, what the procedure returns.
    """
    words = _words(script.replace("\\\n", " "))
    for i, word in enumerate(words[:-3]):
        if word == "proc" and words[i + 1] == name:
            params, body = _strip(words[i + 2]).split(), _strip(words[i + 3])
            break
    else:
        raise PymagError(f"tcl_strings: the script defines no procedure {name!r} (script_name)")

    def call(*args):
        if len(args) != len(params):
            raise PymagError(f"Tcl procedure {name!r} takes {len(params)} arguments, got {len(args)}")
        env = dict(zip(params, (float(a) for a in args)))
        try:
            for command in _commands(body):
                _command(command, env)
        except _Return as done:
            return done.value
        raise PymagError(f"Tcl procedure {name!r} returned nothing")
    return call


def _strip(word):
    grouped = (word[:1], word[-1:]) in (("{", "}"), ('"', '"'))
    return word[1:-1] if grouped and len(word) > 1 else word


def _words(text):
    """Split a Tcl command into words: braces and brackets group (nested), whitespace separates."""
    words, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start, depth = i, 0
        while i < n and (depth or not text[i].isspace()):
            if text[i] in "{[":
                depth += 1
            elif text[i] in "}]":
                depth -= 1
            i += 1
        words.append(text[start:i])
    return words


def _commands(body):
    """The commands of a body: split at newlines and ';' outside braces and brackets, comments dropped."""
    out, depth, current = [], 0, []
    for ch in body:
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        if depth == 0 and ch in "\n;":
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [c.strip() for c in out if c.strip() and not c.strip().startswith("#")]


def _command(text, env):
    words = _words(text)
    name, args = words[0], words[1:]
    if name == "set" and len(args) == 2:
        env[args[0]] = _value(args[1], env)
        return env[args[0]]
    if name == "return":
        raise _Return(_value(args[0], env) if args else None)
    if name == "expr":
        return _expr(" ".join(_strip(a) for a in args), env)
    if name == "list":
        return [_value(a, env) for a in args]
    raise PymagError(f"tcl_strings: the Tcl command {name!r} is outside what pymag evaluates "
                     "(set, expr, list, return); give the time dependence as a Python func with dt instead")


def _value(word, env):
    if word[:1] == "[":
        return _command(word[1:-1], env)
    word = _strip(word)
    if word[:1] == "$":
        return env[_name(word[1:], env)]
    try:
        return float(word)
    except ValueError:
        raise PymagError(f"tcl_strings: {word!r} is not a number, a $variable or a [command]") from None


def _name(name, env):
    if name not in env:
        raise PymagError(f"tcl_strings: variable ${name} is not set")
    return name


def _expr(text, env):
    """Evaluate a Tcl ``expr`` expression: $variables, nested [commands] and math functions."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "$":
            j = i + 1
            while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                j += 1
            out.append(repr(env[_name(text[i + 1:j], env)]))
            i = j
        elif ch == "[":
            depth, j = 0, i
            while True:
                depth += {"[": 1, "]": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            out.append(repr(_command(text[i + 1:j], env)))
            i = j + 1
        else:
            out.append(ch)
            i += 1
    try:
        return float(eval("".join(out), {"__builtins__": {}}, MATH))
    except Exception as exc:
        raise PymagError(f"tcl_strings: cannot evaluate expr {{{text}}}: {exc}") from None
