"""OVF files (OOMMF Vector Field), as mumax3 and OOMMF write them.

``save_ovf`` writes OVF 2.0 on a rectangular mesh; ``load_ovf`` reads OVF 2.0 and 1.0.
Data are stored cell by cell with x varying fastest, then y, then z, and the components
of one cell consecutive. Binary OVF 2.0 is little-endian, binary OVF 1.0 big-endian; a
binary block starts with a check value (1234567.0 for 4 bytes, 123456789012345.0 for 8).
"""
import os
import re

import numpy as np

from ..errors import FileFormatError, MeshError, ShapeMismatchError
from ..mesh import Mesh
from .files import as_numpy, write_atomically

CHECK_VALUES = {4: 1234567.0, 8: 123456789012345.0}
DATA_FORMATS = {"binary4": "Binary 4", "binary8": "Binary 8", "text": "Text"}
MESH_UNITS = {"m": 1.0, "mm": 1e-3, "um": 1e-6, "nm": 1e-9}
REQUIRED_KEYS = ("xnodes", "ynodes", "znodes", "xstepsize", "ystepsize", "zstepsize")

_OVF2 = re.compile(r"#\s*oommf\s+ovf\s+2\.0")
_OVF1 = re.compile(r"#\s*oommf\s*:\s*(\w+)\s+mesh\s+v1\.0")
_TIMES = (re.compile(r"total simulation time\s*:\s*(\S+)", re.I), re.compile(r"time\s*\(s\)\s*:\s*(\S+)", re.I))
_DATA_END = re.compile(rb"^[ \t]*#\s*end\s*:\s*data", re.I | re.M)


class OvfData:
    """What ``load_ovf`` returns.

    ``array``: numpy values, ``(valuedim, nx, ny, nz)``, or ``(nx, ny, nz)`` when valuedim is 1;
    ``mesh``: a ``Mesh`` from the node counts and step sizes (in m);
    ``header``: header key (lower case) -> value string, repeated keys joined by newlines;
    ``t``: the simulation time (s) from a Desc line, or None.
    """

    def __init__(self, array, mesh, header, t=None):
        self.array = array
        self.mesh = mesh
        self.header = header
        self.t = t

    def __repr__(self):
        return f"OvfData(array {self.array.shape} {self.array.dtype}, mesh={self.mesh!r}, t={self.t!r})"


def save_ovf(path, array, mesh, name="m", unit="", fmt="binary4", title=None, t=None):
    """Write ``array`` on ``mesh`` to ``path`` as an OVF 2.0 file.

    ``array`` is a numpy array or torch tensor of shape ``(3, nx, ny, nz)`` (a vector
    field) or ``(nx, ny, nz)`` (a scalar field). ``name`` labels the components
    (``m_x m_y m_z``), ``unit`` is their SI unit ("" is written as "1", dimensionless),
    ``fmt`` is "binary4" (float32), "binary8" (float64) or "text" (17 significant digits
    for float64, so it reads back exactly), ``t`` the simulation time (s). The file is
    written to a temporary file first and then renamed, so no reader sees half a file.
    """
    if fmt not in DATA_FORMATS:
        raise FileFormatError(f"unknown OVF data format {fmt!r}; choose one of {sorted(DATA_FORMATS)}")
    values = as_numpy(array)
    if values.shape == tuple(mesh.n):
        values = values[None]
    if values.ndim != 4 or values.shape[1:] != tuple(mesh.n):
        raise ShapeMismatchError(f"cannot write an array of shape {values.shape} on a mesh of {mesh.n} cells: "
                                 f"expected (3, {', '.join(map(str, mesh.n))}) or {mesh.n}")
    cells = values.transpose(3, 2, 1, 0)
    head = _header(values.shape[0], mesh, name, unit, title, t) + f"# Begin: Data {DATA_FORMATS[fmt]}\n"
    write_atomically(path, head.encode("ascii") + _data_bytes(cells, fmt)
                      + f"# End: Data {DATA_FORMATS[fmt]}\n# End: Segment\n".encode("ascii"))


def load_ovf(path):
    """Read an OVF 2.0 or 1.0 file on a rectangular mesh; return an ``OvfData``.

    Binary 4 data stay float32, binary 8 and text data are float64. OVF 1.0 values are
    multiplied by the header's ``valuemultiplier``. Only the first segment is read.
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise FileFormatError(f"no OVF file at {path}") from None
    return _parse(raw, path)


def _parse(raw, path):
    """Parse the bytes of an OVF file (``path`` only names it in error messages)."""
    end = raw.find(b"\n")
    end = len(raw) if end < 0 else end
    first = raw[:end].decode("latin-1").strip().lower()
    ovf1 = _OVF1.fullmatch(first)
    if not (ovf1 or _OVF2.fullmatch(first)):
        raise FileFormatError(f"{path} is not an OVF file: its first line is {first[:60]!r}, "
                              "expected '# OOMMF OVF 2.0' or '# OOMMF: rectangular mesh v1.0'")
    version = 1 if ovf1 else 2
    header, fmt, pos = _read_header(raw, end + 1, path)
    meshtype = header.get("meshtype", ovf1.group(1) if ovf1 else None)
    if meshtype is None:
        raise FileFormatError(f"{path}: the header has no 'meshtype' line")
    if meshtype.lower() != "rectangular":
        raise FileFormatError(f"{path}: unsupported mesh type {meshtype!r}; only rectangular meshes can be read")
    required = REQUIRED_KEYS + (("valuedim",) if version == 2 else ())
    missing = [k for k in required if k not in header]
    if missing:
        raise FileFormatError(f"{path}: the header lacks the key(s) {', '.join(missing)}")
    n = tuple(_number(header, f"{a}nodes", int, path) for a in "xyz")
    dim = _number(header, "valuedim", int, path) if version == 2 else 3
    if min(n) < 1 or dim < 1:
        raise FileFormatError(f"{path}: node counts {n} and valuedim {dim} must be positive")
    values = _read_data(raw, pos, fmt, version, n[0] * n[1] * n[2] * dim, path)
    array = np.ascontiguousarray(values.reshape(n[2], n[1], n[0], dim).transpose(3, 2, 1, 0))
    multiplier = _number(header, "valuemultiplier", float, path) if "valuemultiplier" in header else 1
    if version == 1 and multiplier != 1:
        array = (array * multiplier).astype(array.dtype)
    return OvfData(array[0] if dim == 1 else array, _mesh(header, n, path), header, _time(header, path))


def _read_header(raw, pos, path):
    """Header lines from ``pos`` up to '# Begin: Data ...': (header dict, data format, data offset)."""
    header = {}
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        end = len(raw) if end < 0 else end
        line, pos = raw[pos:end].decode("latin-1").split("##", 1)[0].strip(), end + 1
        if not line:
            continue
        if not line.startswith("#"):
            raise FileFormatError(f"{path}: header line {line[:60]!r} does not start with '#'")
        key, _, value = line.lstrip("#").partition(":")
        key, value = " ".join(key.lower().split()), value.strip()
        if key == "begin" and value.lower().startswith("data"):
            return header, " ".join(value.lower().split()[1:]), pos
        if key and key not in ("begin", "end"):
            header[key] = f"{header[key]}\n{value}" if key in header else value
    raise FileFormatError(f"{path}: the file ends inside the header, before a '# Begin: Data' line")


def _read_data(raw, pos, fmt, version, count, path):
    """The ``count`` data values after the check value, as a flat array."""
    if fmt == "text":
        match = _DATA_END.search(raw, pos)
        block = raw[pos:match.start() if match else len(raw)].decode("latin-1")
        words = " ".join(line.split("#", 1)[0] for line in block.splitlines()).split()
        if len(words) != count:
            problem = "truncated" if len(words) < count else "too long"
            raise FileFormatError(f"{path}: text data {problem}: {len(words)} values where the header "
                                  f"(nodes x valuedim) says {count}")
        try:
            return np.array(words, dtype=np.float64)
        except ValueError as exc:
            raise FileFormatError(f"{path}: bad number in the text data ({exc})") from None
    size = {"binary 4": 4, "binary 8": 8}.get(fmt)
    if size is None:
        raise FileFormatError(f"{path}: unknown data format 'Data {fmt}'; expected Binary 4, Binary 8 or Text")
    dtype = np.dtype(f"{'<' if version == 2 else '>'}f{size}")
    if len(raw) - pos < size * (count + 1):
        raise FileFormatError(f"{path}: binary data truncated: {len(raw) - pos} bytes where the check value "
                              f"and {count} values need {size * (count + 1)}")
    check = np.frombuffer(raw, dtype, 1, pos)[0]
    if check != CHECK_VALUES[size]:
        order = "little" if version == 2 else "big"
        raise FileFormatError(f"{path}: wrong check value {float(check)!r} at the start of the Binary {size} "
                              f"data (expected {CHECK_VALUES[size]!r} in {order}-endian byte order)")
    end = pos + size * (count + 1)
    rest = raw[end:].lstrip()
    if rest and not _DATA_END.match(rest):
        raise FileFormatError(f"{path}: no '# End: Data' line after {count} values; "
                              "the node counts or valuedim do not match the data")
    return np.frombuffer(raw, dtype, count, pos + size).astype(f"=f{size}")


def _mesh(header, n, path):
    """The pymag Mesh of the file's node counts and step sizes (converted to m)."""
    unit = header.get("meshunit", "m").strip().lower()
    if unit not in MESH_UNITS:
        raise FileFormatError(f"{path}: unknown meshunit {unit!r}; expected one of {sorted(MESH_UNITS)}")
    cell = [_number(header, f"{a}stepsize", float, path) * MESH_UNITS[unit] for a in "xyz"]
    try:
        return Mesh(n, cell)
    except MeshError as exc:
        raise FileFormatError(f"{path}: the header describes an invalid mesh: {exc}") from None


def _time(header, path):
    """Simulation time (s) from a Desc line (mumax3 OVF 2.0 or OVF 1.0 style), else None."""
    for pattern in _TIMES:
        match = pattern.search(header.get("desc", ""))
        if match:
            try:
                return float(match.group(1))
            except ValueError:
                raise FileFormatError(f"{path}: bad simulation time {match.group(1)!r} in the Desc line") from None
    return None


def _number(header, key, kind, path):
    """Header value ``key`` converted by ``kind`` (int or float)."""
    try:
        return kind(header[key])
    except ValueError:
        raise FileFormatError(f"{path}: bad number for {key}: {header[key]!r}") from None


def _header(dim, mesh, name, unit, title, t):
    """OVF 2.0 header text, from the first line to '# End: Header', mumax3's key order."""
    lo = [-s / 2 for s in mesh.size]
    suffixes = "xyz" if dim == 3 else [str(i) for i in range(dim)]
    labels = [name] if dim == 1 else [f"{name}_{s}" for s in suffixes]
    lines = ["OOMMF OVF 2.0", "Segment count: 1", "Begin: Segment", "Begin: Header",
             f"Title: {name if title is None else title}", "meshtype: rectangular", "meshunit: m"]
    lines += [f"{a}min: {v!r}" for a, v in zip("xyz", lo)]
    lines += [f"{a}max: {-v!r}" for a, v in zip("xyz", lo)]
    lines += [f"valuedim: {dim}", "valuelabels: " + " ".join(_word(s) for s in labels),
              "valueunits: " + " ".join([_word(unit or "1")] * dim)]
    if t is not None:
        lines.append(f"Desc: Total simulation time: {float(t)!r} s")
    lines += [f"{a}base: {v + c / 2!r}" for a, v, c in zip("xyz", lo, mesh.cell)]
    lines += [f"{a}nodes: {k}" for a, k in zip("xyz", mesh.n)]
    lines += [f"{a}stepsize: {c!r}" for a, c in zip("xyz", mesh.cell)]
    lines.append("End: Header")
    return "".join(f"# {line}\n" for line in lines)


def _word(text):
    """One entry of a whitespace-separated header list, braced when it holds spaces (Tcl style)."""
    return f"{{{text}}}" if not text or any(c.isspace() for c in text) else text


def _data_bytes(cells, fmt):
    """The data block for ``cells`` of shape (nz, ny, nx, dim): check value + values, or text lines."""
    if fmt == "text":
        digits = 9 if cells.dtype == np.float32 else 17
        rows = cells.reshape(-1, cells.shape[-1]).astype(np.float64)
        return "".join(" ".join(f"{v:.{digits}g}" for v in row) + "\n" for row in rows).encode("ascii")
    size = 4 if fmt == "binary4" else 8
    dtype = np.dtype(f"<f{size}")
    return np.array(CHECK_VALUES[size], dtype).tobytes() + np.ascontiguousarray(cells, dtype).tobytes()
