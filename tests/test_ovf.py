"""OVF files: bytes laid out as the OVF 2.0 / 1.0 specifications say are read bit-exactly,
and what save_ovf writes is such a file.

Reference: the OOMMF user's guide, "OVF 2.0 format" and "OVF 1.0 format" sections
(math.nist.gov/oommf/doc/userguide20a3/userguide/Data_block.html and siblings): a
rectangular-mesh header of '# key: value' lines, then '# Begin: Data Binary 4|8' with a
check value (1234567.0 / 123456789012345.0) and values with x fastest, then y, then z,
the components of a cell consecutive; OVF 2.0 binary is little-endian (LSB), OVF 1.0
big-endian (MSB). The headers below copy what mumax3 writes (github.com/mumax/3,
oommf/ovf2.go and ovf1.go), including its 'Total simulation time:  t  s' Desc line.
"""
import os
import struct

import numpy as np
import pytest
import torch

import pymag as pm
from pymag.io import OvfData, load_ovf, save_ovf

NX, NY, NZ = 4, 3, 2
MESH = pm.Mesh(n=(NX, NY, NZ), cell=(5e-9, 4e-9, 3e-9))

MUMAX_HEADER = """\
# OOMMF OVF 2.0
# Segment count: 1
# Begin: Segment
# Begin: Header
# Title: m
# meshtype: rectangular
# meshunit: m
# xmin: 0
# ymin: 0
# zmin: 0
# xmax: 2e-08
# ymax: 1.2e-08
# zmax: 6e-09
# valuedim: 3
# valuelabels: m_x m_y m_z
# valueunits: 1 1 1
# Desc: Total simulation time:  2.5e-10  s
# xbase: 2.5e-09
# ybase: 2e-09
# zbase: 1.5e-09
# xnodes: 4
# ynodes: 3
# znodes: 2
# xstepsize: 5e-09
# ystepsize: 4e-09
# zstepsize: 3e-09
# End: Header
"""


def special_field(dtype):
    """A (3, nx, ny, nz) field with no symmetry, plus a denormal, -0.0 and the largest finite value."""
    a = (np.arange(3 * NX * NY * NZ, dtype=dtype).reshape(3, NX, NY, NZ) - 11.5) / 7
    info = np.finfo(dtype)
    a[0, 1, 0, 0] = info.smallest_subnormal
    a[1, 2, 1, 1] = -0.0
    a[2, 3, 2, 1] = info.max
    a[0, 0, 2, 1] = -info.smallest_subnormal * 3
    return a


def mumax_bytes(a, size, header=MUMAX_HEADER, endian="<", end="Segment"):
    """The file mumax3 writes: header, data block in its loop order (z, y, x, component)."""
    code = endian + ("f" if size == 4 else "d")
    out = header.encode() + f"# Begin: Data Binary {size}\n".encode()
    out += struct.pack(code, 1234567.0 if size == 4 else 123456789012345.0)
    for iz in range(a.shape[3]):
        for iy in range(a.shape[2]):
            for ix in range(a.shape[1]):
                for c in range(a.shape[0]):
                    out += struct.pack(code, a[c, ix, iy, iz])
    return out + f"# End: Data Binary {size}\n# End: {end}\n".encode()


def bits(a):
    """Raw bit patterns, so -0.0 and denormals compare exactly."""
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


def write(tmp_path, content, name="f.ovf"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_mumax_binary4_read_bit_exactly(tmp_path):
    a = special_field(np.float32)
    data = load_ovf(write(tmp_path, mumax_bytes(a, 4)))
    assert data.array.dtype == np.float32
    assert np.array_equal(bits(data.array), bits(a))


def test_mumax_binary8_read_bit_exactly(tmp_path):
    a = special_field(np.float64)
    data = load_ovf(write(tmp_path, mumax_bytes(a, 8).replace(b"Binary 4", b"Binary 8")))
    assert data.array.dtype == np.float64
    assert np.array_equal(bits(data.array), bits(a))


def test_mumax_header_gives_mesh_and_time(tmp_path):
    data = load_ovf(write(tmp_path, mumax_bytes(special_field(np.float32), 4)))
    assert isinstance(data, OvfData)
    assert data.mesh == MESH
    assert data.t == 2.5e-10
    assert data.header["title"] == "m" and data.header["valuelabels"] == "m_x m_y m_z"


def test_file_order_is_x_fastest_then_y_then_z(tmp_path):
    # the k-th value in the file belongs to cell (ix, iy, iz), component c, with
    # k = ((iz*ny + iy)*nx + ix)*3 + c
    body = struct.pack("<f", 1234567.0) + struct.pack(f"<{3 * NX * NY * NZ}f", *range(3 * NX * NY * NZ))
    content = MUMAX_HEADER.encode() + b"# Begin: Data Binary 4\n" + body + b"# End: Data Binary 4\n"
    array = load_ovf(write(tmp_path, content)).array
    ix, iy, iz = 3, 1, 1
    assert [array[c, ix, iy, iz] for c in range(3)] == [((iz * NY + iy) * NX + ix) * 3 + c for c in range(3)]


def test_valuedim_1_gives_a_scalar_array(tmp_path):
    header = MUMAX_HEADER.replace("valuedim: 3", "valuedim: 1").replace("m_x m_y m_z", "Ms")
    s = special_field(np.float32)[0][None]
    array = load_ovf(write(tmp_path, mumax_bytes(s, 4, header))).array
    assert array.shape == (NX, NY, NZ)
    assert np.array_equal(bits(array), bits(s[0]))


def test_header_keys_are_case_insensitive_and_comments_ignored(tmp_path):
    header = (MUMAX_HEADER.replace("# xnodes: 4", "##  a comment line\n#   XNodes :   4   ## trailing comment")
              .replace("# meshtype: rectangular", "# MeshType: Rectangular"))
    a = special_field(np.float32)
    data = load_ovf(write(tmp_path, mumax_bytes(a, 4, header)))
    assert data.mesh == MESH
    assert np.array_equal(bits(data.array), bits(a))


@pytest.mark.parametrize("fmt, dtype", [("binary4", np.float32), ("binary8", np.float64), ("text", np.float64)])
def test_save_load_round_trip_is_bit_exact(tmp_path, fmt, dtype):
    a = special_field(dtype)
    path = tmp_path / f"{fmt}.ovf"
    save_ovf(path, a, MESH, fmt=fmt, t=1.25e-9)
    data = load_ovf(path)
    assert data.array.dtype == dtype and data.mesh == MESH and data.t == 1.25e-9
    assert np.array_equal(bits(data.array), bits(a))


def test_save_accepts_torch_tensor_and_scalar_field(tmp_path):
    ms = torch.linspace(0, 8e5, NX * NY * NZ, dtype=torch.float64).reshape(NX, NY, NZ)
    save_ovf(tmp_path / "Ms.ovf", ms, MESH, name="Ms", unit="A/m", fmt="binary8")
    data = load_ovf(tmp_path / "Ms.ovf")
    assert data.array.shape == (NX, NY, NZ) and np.array_equal(data.array, ms.numpy())
    assert data.header["valuedim"] == "1" and data.header["valueunits"] == "A/m"


def test_saved_binary8_parses_with_a_minimal_spec_reader(tmp_path):
    a = special_field(np.float64)
    path = tmp_path / "m.ovf"
    save_ovf(path, a, MESH, fmt="binary8")
    raw = path.read_bytes()
    assert raw.startswith(b"# OOMMF OVF 2.0\n")
    start = raw.index(b"# Begin: Data Binary 8\n") + len(b"# Begin: Data Binary 8\n")
    assert struct.unpack_from("<d", raw, start)[0] == 123456789012345.0
    values = np.frombuffer(raw, "<f8", 3 * MESH.ncells, start + 8)
    assert np.array_equal(bits(values.reshape(NZ, NY, NX, 3).transpose(3, 2, 1, 0).copy()), bits(a))
    assert raw[start + 8 * (1 + 3 * MESH.ncells):] == b"# End: Data Binary 8\n# End: Segment\n"


def test_saved_header_describes_the_centred_mesh(tmp_path):
    # pymag's mesh is centred on the origin: xmin = -nx*dx/2, xbase = xmin + dx/2 (first cell centre)
    path = tmp_path / "m.ovf"
    save_ovf(path, special_field(np.float32), MESH, t=3e-9)
    text = path.read_bytes().split(b"# Begin: Data")[0].decode()
    lines = dict(line[2:].split(": ", 1) for line in text.splitlines()[1:])
    assert lines["meshtype"] == "rectangular" and lines["meshunit"] == "m" and lines["valuedim"] == "3"
    assert float(lines["xmin"]) == -10e-9 and float(lines["ymax"]) == pytest.approx(6e-9, rel=1e-15)
    assert float(lines["zbase"]) == pytest.approx(-1.5e-9, rel=1e-15)
    assert (lines["xnodes"], lines["ynodes"], lines["znodes"]) == ("4", "3", "2")
    assert float(lines["ystepsize"]) == 4e-9
    assert lines["Desc"] == "Total simulation time: 3e-09 s"


def test_save_leaves_no_temporary_file(tmp_path):
    save_ovf(tmp_path / "m.ovf", special_field(np.float32), MESH)
    save_ovf(tmp_path / "m.ovf", special_field(np.float32), MESH, fmt="text")
    assert os.listdir(tmp_path) == ["m.ovf"]


def test_save_rejects_array_that_does_not_fit_the_mesh(tmp_path):
    with pytest.raises(pm.ShapeMismatchError, match=r"\(3, 4, 3, 2\)"):
        save_ovf(tmp_path / "m.ovf", np.zeros((3, 4, 3, 1)), MESH)


OVF1_HEADER = """\
# OOMMF: rectangular mesh v1.0
# Segment count: 1
# Begin: Segment
# Begin: Header
# Desc: Time (s): 1e-09
# Title: m
# meshtype: rectangular
# meshunit: m
# xbase: 2.5e-09
# ybase: 2e-09
# zbase: 1.5e-09
# xstepsize: 5e-09
# ystepsize: 4e-09
# zstepsize: 3e-09
# xmin: 0
# ymin: 0
# zmin: 0
# xmax: 2e-08
# ymax: 1.2e-08
# zmax: 6e-09
# xnodes: 4
# ynodes: 3
# znodes: 2
# ValueRangeMinMag: 1e-08
# ValueRangeMaxMag: 1
# valueunit: A/m
# valuemultiplier: 1
# End: Header
"""


def test_ovf1_binary4_is_big_endian(tmp_path):
    a = special_field(np.float32)
    data = load_ovf(write(tmp_path, mumax_bytes(a, 4, OVF1_HEADER, endian=">")))
    assert data.mesh == MESH and data.t == 1e-9
    assert np.array_equal(bits(data.array), bits(a))


def test_ovf1_text_applies_value_multiplier(tmp_path):
    # OVF 1.0: stored values times valuemultiplier are the field values
    lines = "".join(f"{i} {-i} 0.5\n" for i in range(NX * NY * NZ))
    header = OVF1_HEADER.replace("valuemultiplier: 1", "valuemultiplier: 800000")
    content = header + "# Begin: Data Text\n" + lines + "# End: Data Text\n# End: Segment\n"
    array = load_ovf(write(tmp_path, content)).array
    assert array.shape == (3, NX, NY, NZ)
    assert array[0, 1, 0, 0] == 8e5 and array[1, 0, 1, 0] == -4 * 8e5 and np.all(array[2] == 4e5)


def replace(old, new):
    return lambda raw: raw.replace(old, new, 1)


MALFORMED = {
    "not an OVF file": lambda raw: b"x,y,z\n1,2,3\n",
    "unsupported mesh type 'irregular'": replace(b"meshtype: rectangular", b"meshtype: irregular"),
    "lacks the key.*ystepsize": replace(b"# ystepsize: 4e-09\n", b""),
    "wrong check value": replace(struct.pack("<f", 1234567.0), struct.pack(">f", 1234567.0)),
    "truncated": lambda raw: raw[:len(MUMAX_HEADER) + 60],
    "unknown data format": lambda raw: raw.replace(b"Binary 4", b"Binary 2"),
    "bad number for xnodes": replace(b"xnodes: 4", b"xnodes: four"),
    "ends inside the header": lambda raw: MUMAX_HEADER.encode(),
    "do not match the data": replace(b"znodes: 2", b"znodes: 1"),
    "invalid mesh": replace(b"xstepsize: 5e-09", b"xstepsize: -5e-09"),
}


@pytest.mark.parametrize("problem", MALFORMED)
def test_malformed_binary_file_raises_file_format_error(tmp_path, problem):
    path = write(tmp_path, MALFORMED[problem](mumax_bytes(special_field(np.float32), 4)), "bad.ovf")
    with pytest.raises(pm.FileFormatError, match=problem) as info:
        load_ovf(path)
    assert "bad.ovf" in str(info.value)


@pytest.mark.parametrize("problem, data", [("truncated", "1 2 3\n" * 23), ("too long", "1 2 3\n" * 25),
                                           ("bad number", "1 2 3\n" * 23 + "1 2 x\n")])
def test_malformed_text_data_raises_file_format_error(tmp_path, problem, data):
    content = MUMAX_HEADER + "# Begin: Data Text\n" + data + "# End: Data Text\n# End: Segment\n"
    with pytest.raises(pm.FileFormatError, match=problem):
        load_ovf(write(tmp_path, content))


def test_missing_file_raises_file_format_error(tmp_path):
    with pytest.raises(pm.FileFormatError, match="no OVF file"):
        load_ovf(tmp_path / "absent.ovf")
