"""VTK XML ImageData (.vti) export of cell fields, for ParaView and pyvista.

The file holds one piece covering the whole mesh: points are the cell corners
(nodes), the origin is the mesh's lower corner (-size/2, in m) and the spacing is the
cell size (m). Every field is a CellData array, x varying fastest. The arrays follow
the XML in an AppendedData block with raw encoding: each is a little-endian UInt64
byte count followed by the values, little-endian, in the array's own dtype.
"""
from xml.sax.saxutils import quoteattr

import numpy as np

from ..errors import FileFormatError, ShapeMismatchError
from .files import as_numpy, write_atomically

VTK_TYPES = {"float32": "Float32", "float64": "Float64", "int8": "Int8", "uint8": "UInt8", "int16": "Int16",
             "uint16": "UInt16", "int32": "Int32", "uint32": "UInt32", "int64": "Int64", "uint64": "UInt64"}


def save_vti(path, fields, mesh):
    """Write ``fields`` on ``mesh`` to ``path`` as a VTK ImageData file.

    ``fields`` maps array names to numpy arrays or torch tensors of shape ``(nx, ny, nz)``
    (scalars) or ``(k, nx, ny, nz)`` (k components, e.g. ``m`` with k = 3). Float and
    integer dtypes are kept, booleans are written as UInt8.
    """
    n = tuple(mesh.n)
    arrays, blocks, offset = [], [], 0
    for name, field in fields.items():
        values = as_numpy(field)
        values = values.astype(np.uint8) if values.dtype == bool else values
        if values.shape == n:
            values = values[None]
        if values.ndim != 4 or values.shape[1:] != n:
            raise ShapeMismatchError(f"field {name!r} has shape {values.shape}, which does not fit a mesh of "
                                     f"{n} cells: expected {n} or (k, {', '.join(map(str, n))})")
        if values.dtype.name not in VTK_TYPES:
            raise FileFormatError(f"field {name!r} has dtype {values.dtype}, which a VTK file cannot store; "
                                     "use a float or integer dtype")
        data = np.ascontiguousarray(values.transpose(3, 2, 1, 0), values.dtype.newbyteorder("<")).tobytes()
        arrays.append(f'        <DataArray type="{VTK_TYPES[values.dtype.name]}" Name={quoteattr(str(name))} '
                      f'NumberOfComponents="{values.shape[0]}" format="appended" offset="{offset}"/>\n')
        blocks.append(np.uint64(len(data)).astype("<u8").tobytes() + data)
        offset += len(blocks[-1])
    extent = " ".join(f"0 {k}" for k in n)
    head = ('<?xml version="1.0"?>\n'
            '<VTKFile type="ImageData" version="1.0" byte_order="LittleEndian" header_type="UInt64">\n'
            f'  <ImageData WholeExtent="{extent}" Origin="{_floats(-s / 2 for s in mesh.size)}" '
            f'Spacing="{_floats(mesh.cell)}">\n'
            f'    <Piece Extent="{extent}">\n'
            '      <CellData>\n' + "".join(arrays) + '      </CellData>\n'
            '    </Piece>\n'
            '  </ImageData>\n'
            '  <AppendedData encoding="raw">\n   _')
    tail = '\n  </AppendedData>\n</VTKFile>\n'
    write_atomically(path, head.encode("utf-8") + b"".join(blocks) + tail.encode("ascii"))


def _floats(values):
    """Space-separated shortest exact representations of floats."""
    return " ".join(repr(float(v)) for v in values)
