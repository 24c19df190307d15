"""A shape drawn as a 2-D image, stretched over a rectangle and extruded along z."""
import os

import numpy as np

from ..errors import GeometryError
from .shape import RTOL, Shape, _format, _lengths


def _read_png(path):
    """Inside-pixels of an image file as a bool array indexed [ix, iy] (iy = 0 at the
    bottom row).  Dark pixels (mean of R, G, B below 0.5, as in mumax3) that are not
    fully transparent are inside."""
    import matplotlib.image

    try:
        pixels = np.asarray(matplotlib.image.imread(os.fspath(path)))
    except (OSError, ValueError, SyntaxError) as err:
        raise GeometryError(f"ImageShape cannot read image file {os.fspath(path)!r}: {err}") from None
    if np.issubdtype(pixels.dtype, np.integer):
        pixels = pixels / np.iinfo(pixels.dtype).max
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    channels = pixels.shape[-1]
    if pixels.ndim != 3 or channels not in (1, 2, 3, 4):
        raise GeometryError(f"ImageShape image file {os.fspath(path)!r} has unsupported "
                            f"pixel layout {pixels.shape}")
    colour = pixels[..., :3] if channels >= 3 else pixels[..., :1]
    opaque = pixels[..., -1] > 0 if channels in (2, 4) else True
    inside = (colour.mean(axis=-1) < 0.5) & opaque
    return inside[::-1, :].T  # image rows run from the top (+y) down


class ImageShape(Shape):
    """Shape from an image covering ``size = (sx, sy)`` (m), centred on the origin,
    extruded infinitely along z.  Each pixel is a rectangle; points outside the image
    are outside.

    ``image`` is either a 2-D array indexed [ix, iy] like the mesh (ix along +x, iy along
    +y; non-zero = inside) or the path of an image file read with matplotlib, whose top
    row is +y and whose dark, not fully transparent pixels are inside (as in mumax3).
    """

    def __init__(self, image, size):
        if isinstance(image, (str, os.PathLike)):
            source, pixels = os.fspath(image), _read_png(image)
        else:
            source, pixels = None, np.asarray(image)
            if pixels.ndim != 2:
                raise GeometryError(f"ImageShape image must be a 2-D array indexed [ix, iy] "
                                    f"or an image file path, got an array of shape {pixels.shape}")
        if pixels.size == 0:
            raise GeometryError(f"ImageShape image has no pixels (shape {pixels.shape})")
        pixels = np.array(pixels, dtype=bool)
        pixels.flags.writeable = False
        sx, sy = _lengths("ImageShape size", size, 2)
        if not np.isfinite([sx, sy]).all():
            raise GeometryError(f"ImageShape size must be finite, got {size!r}")
        self._set(pixels=pixels, size=(sx, sy), source=source)

    def _inside(self, x, y, z):
        nx, ny = self.pixels.shape
        u = (x / self.size[0] + 0.5) * nx  # position in pixel units from the -x edge
        v = (y / self.size[1] + 0.5) * ny
        within = ((u >= -RTOL * nx) & (u <= nx * (1 + RTOL))
                  & (v >= -RTOL * ny) & (v <= ny * (1 + RTOL)))
        ix = np.clip(np.floor(np.where(within, u, 0)), 0, nx - 1).astype(np.intp)
        iy = np.clip(np.floor(np.where(within, v, 0)), 0, ny - 1).astype(np.intp)
        return within & self.pixels[ix, iy]

    def _params(self):
        return (self.pixels.shape, self.pixels.tobytes(), self.size)

    def __repr__(self):
        nx, ny = self.pixels.shape
        image = repr(self.source) if self.source else f"<{nx}x{ny} array>"
        return f"ImageShape({image}, size={_format(self.size)})"
