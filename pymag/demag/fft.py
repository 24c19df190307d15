"""Exact demag field by FFT convolution with the Newell tensor (open or periodic axes)."""
import torch

from ..errors import ShapeMismatchError
from . import providers
from .kernel import PAIRS, demag_kernel
from .provider import DemagProvider

# A mesh with an open z axis of at most this many layers convolves along z by direct
# summation over the layers: 2-D transforms of nz planes instead of 3-D transforms of a
# zero-padded stack of 2 nz, about a third of the transform work and memory.
LAYERED_MAX = 4


@providers.register("fft")
class FFTDemag(DemagProvider):
    """H_d = -N * M, the discrete convolution of M (A/m) with the Newell tensor, in A/m.

    Open axes are zero-padded to twice their length, periodic axes (``mesh.pbc``) are
    convolved cyclically with the images summed into the kernel. A single layer
    (nz == 1) uses 2-D transforms over x, y; so do films of up to ``LAYERED_MAX`` layers
    on an open z axis, coupling the layers directly, in their parts even and odd under
    z -> -z (half the products of layer pairs). The kernel's spectrum is real (its
    components are even or odd along every axis), so it is stored as ``-N^`` in ``dtype``
    on ``device``, 4 components for a layer, 6 otherwise; for a layered film the 2-D
    spectra of the xz and yz components are imaginary and stored as complex.
    """

    def __init__(self, mesh, dtype=torch.float64, device="cpu"):
        super().__init__(mesh, dtype, device)
        self.n = tuple(mesh.n)
        nz = self.n[2]
        self._layers = nz if (1 < nz <= LAYERED_MAX and not mesh.pbc[2]) else 0
        ndim = 2 if (nz == 1 or self._layers) else 3
        self._ndim = ndim
        # transform lengths: 2n on open axes with n > 1, n otherwise
        self._size = tuple(m if (p or m == 1) else 2 * m for m, p in zip(mesh.n, mesh.pbc))[:ndim]
        kernel = demag_kernel(mesh.n, mesh.cell, mesh.pbc)
        if self._layers:
            # (6, dz, x, y) for the layer distances dz = 0 .. nz-1
            k = torch.tensor(kernel[..., :nz], dtype=torch.float64).permute(0, 3, 1, 2)
            spectrum = torch.fft.rfftn(k, dim=(2, 3))
            spectrum = torch.cat([spectrum[:4].real, spectrum[4:].imag])
        else:
            comps = 4 if ndim == 2 else 6
            k = torch.tensor(kernel[:comps, ..., 0] if ndim == 2 else kernel, dtype=torch.float64)
            spectrum = torch.fft.rfftn(k, dim=tuple(range(1, ndim + 1))).real
        # field() leaves the spectrum with its spatial axes reversed (y, x) or (z, y, x): match it
        spectrum = -spectrum.permute(*range(spectrum.dim() - ndim),
                                     *range(spectrum.dim() - 1, spectrum.dim() - ndim - 1, -1))
        if self._layers:
            self._mode_rows = _mode_rows(spectrum, nz, dtype, self.device)
        else:
            self._kernel = _doubled(spectrum, dtype, self.device)
            # per field component i: (stored kernel component, M component j) of sum_j N_ij M_j
            self._rows = [[(c, b if i == a else a) for c, (a, b) in enumerate(PAIRS[:len(spectrum)]) if i in (a, b)]
                          for i in range(3)]
        self._buffers = {}

    def _check(self, M):
        want = (3,) + self.n
        if not isinstance(M, torch.Tensor) or M.dim() < 4 or tuple(M.shape[-4:]) != want:
            shape = tuple(M.shape) if hasattr(M, "shape") else type(M).__name__
            raise ShapeMismatchError(
                f"magnetization has shape {shape}, but the demag field on a mesh of {self.n} "
                f"cells needs a torch tensor of shape (..., 3, {self.n[0]}, {self.n[1]}, {self.n[2]})")
        if M.dtype != self.dtype or M.device != self.device:
            raise ShapeMismatchError(
                f"magnetization is {M.dtype} on {M.device}, but this FFT demag provider was "
                f"built for {self.dtype} on {self.device}; convert M or build a matching provider")

    def _buffer(self, name, like, shape):
        """Work array with the leading axes of ``like`` and then ``shape`` (its last axes
        replaced), zero-filled once and reused while the shape stays, or a fresh one while
        autograd records (reuse would overwrite tensors saved for the backward pass)."""
        full = like.shape[:-len(shape)] + tuple(shape)
        if like.requires_grad:
            return torch.zeros(full, dtype=like.dtype, device=like.device)
        buf = self._buffers.get(name)
        if buf is None or buf.shape != full:
            buf = self._buffers[name] = torch.zeros(full, dtype=like.dtype, device=like.device)
        return buf

    def field(self, M):
        """Demag field H_d (A/m) of M (A/m), shape ``(..., 3, nx, ny, nz)``.

        Differentiable with respect to M. The result is a fresh tensor, not necessarily
        contiguous (a crop of the padded inverse transform).
        """
        self._check(M)
        ndim, size, n = self._ndim, self._size, self.n
        x = M[..., 0] if ndim == 2 else M
        # Every transform runs along the last, contiguous axis, on data copied into
        # reused buffers whose zero padding is written once. Forward: rfft the last
        # spatial axis, then move each earlier axis to the end and fft it, so padding
        # rows are never transformed before they hold data; the spectrum ends up with
        # its spatial axes reversed.
        layout = list(range(ndim))
        if self._layers:
            # the even and odd parts of the layers become a batch axis before x, y
            x = self._buffer("pad", M.movedim(-1, -3), (n[0], size[1]))
            _butterfly(self._layers, lambda k: M.select(-1, k), lambda k: x.narrow(-1, 0, n[1]).select(-3, k))
        elif size[-1] != n[ndim - 1]:
            x, layout = self._to_last(x, layout, ndim - 1, "pad", size[-1])
        x = torch.fft.rfft(x, dim=-1)
        for axis in range(ndim - 2, -1, -1):
            x, layout = self._to_last(x, layout, axis, "fwd%d" % axis, size[axis])
            x = torch.fft.fft(x, dim=-1)
        h = self._multiply_layers(x) if self._layers else self._multiply(x)
        # Backward: ifft the first axis, crop it, move the next one to the end, and so on
        for axis in range(ndim - 1):
            h = torch.fft.ifft(h, dim=-1)[..., :n[axis]]
            h, layout = self._to_last(h, layout, axis + 1, "bwd%d" % axis)
        h = torch.fft.irfft(h, n=size[-1], dim=-1)[..., :n[ndim - 1]]
        if self._layers:
            H = torch.empty_like(M)
            _butterfly(self._layers, lambda k: h.select(-3, k), lambda k: H.select(-1, k))
            return H
        return h.unsqueeze(-1) if ndim == 2 else h

    def _to_last(self, x, layout, axis, name, length=None):
        """Copy ``x`` into the reused buffer ``name`` with spatial ``axis`` moved last,
        zero-padded to ``length`` (default: no padding). Returns it and the new layout."""
        moved = x.movedim(layout.index(axis) - len(layout), -1)
        length = moved.shape[-1] if length is None else length
        buf = self._buffer(name, x, moved.shape[-len(layout):-1] + (length,))
        buf[..., :moved.shape[-1]].copy_(moved)
        return buf, [a for a in layout if a != axis] + [axis]

    def _multiply(self, x):
        """H^_i = sum_j (-N^_ij) M^_j, on the real and imaginary parts alike."""
        xr = torch.view_as_real(x)
        comp = -(self._ndim + 2)  # position of the vector component axis in the real views
        if x.requires_grad:  # out= arguments do not support autograd
            rows = [sum(xr.select(comp, j) * self._kernel[c] for c, j in row) for row in self._rows]
            return torch.view_as_complex(torch.stack(rows, dim=comp))
        h = self._buffer("spectrum", x, x.shape[-self._ndim:])
        hr = torch.view_as_real(h)
        for i, row in enumerate(self._rows):
            out = hr.select(comp, i)
            (c, j), rest = row[0], row[1:]
            torch.mul(xr.select(comp, j), self._kernel[c], out=out)
            for c, j in rest:
                out.addcmul_(xr.select(comp, j), self._kernel[c])
        return h

    def _multiply_layers(self, x):
        """H^_i,p = sum over (j, q) of K_ij,pq M^_j,q at each in-plane frequency, for the even and
        odd layer parts p, q of a film (``_mode_rows``); ``x`` is (..., 3, nz, ky, kx)."""
        # views made by unbind and select: indexing with ... costs more than the products on
        # small films
        src = [c.unbind(-3) for c in x.unbind(-4)]
        src_real = [c.unbind(-4) for c in torch.view_as_real(x).unbind(-5)]
        if x.requires_grad:  # out of place: autograd cannot follow writes into views of a buffer
            rows = [sum(scale * (src[j][q] * k if k.is_complex() else torch.view_as_complex(src_real[j][q] * k))
                        for j, q, k, scale in terms) for _, terms in self._mode_rows]
            return torch.stack(rows, dim=-3).unflatten(-3, x.shape[-4:-2])
        h = self._buffer("spectrum", x, x.shape[-3:])
        for (i, p), terms in self._mode_rows:
            out = h.select(-4, i).select(-3, p)
            out_real = torch.view_as_real(out)
            # the first term, a real one (the diagonal component), writes over the reused buffer
            for t, (j, q, k, scale) in enumerate(terms):
                if k.is_complex():
                    out.addcmul_(src[j][q], k, value=scale)
                elif t == 0:
                    torch.mul(src_real[j][q], k, out=out_real)
                else:
                    out_real.addcmul_(src_real[j][q], k, value=scale)
        return h


def _doubled(spectrum, dtype, device):
    """A real kernel spectrum stored twice along a last axis of 2, beside the real and imaginary
    parts of the data it multiplies: a contiguous operand runs several times faster than a
    broadcast one."""
    return spectrum.to(dtype=dtype, device=device).unsqueeze(-1).expand(*spectrum.shape, 2).contiguous()


def _parts(nz):
    """The layer pairs (p, q = nz-1-p, p <= q) of a film of nz layers, a middle layer as (p, p)."""
    return [(p, nz - 1 - p) for p in range((nz + 1) // 2)]


def _butterfly(nz, src, dst):
    """dst(p) = src(p) + src(q) and dst(q) = src(p) - src(q) for every layer pair, dst(p) = src(p)
    for a middle layer: the parts of a film's layers even and odd under z -> -z, and, with a
    factor 1/2 per pair, back. ``src(k)`` and ``dst(k)`` are views of layer or part k."""
    for p, q in _parts(nz):
        a, b = src(p), src(q)
        if p == q:
            dst(p).copy_(a)
        elif a.requires_grad:  # out= arguments do not support autograd
            dst(p).copy_(a + b)
            dst(q).copy_(a - b)
        else:
            torch.add(a, b, out=dst(p))
            torch.sub(a, b, out=dst(q))


def _mode_rows(spectrum, nz, dtype, device):
    """The layered kernel between the even and odd layer parts of ``_butterfly``.

    ``spectrum`` holds -N^ for the layer distances 0 .. nz-1, (6, nz, ky, kx), the xz and yz
    components divided by i. Between layers it is the Toeplitz matrix T(z - z'), even in
    z - z' for xx, yy, zz, xy and odd for xz, yz. With B the butterfly (B^2 = D, diagonal),
    H = T M = B (D^-1 B T B D^-1) (B M): in the parts the even components couple only parts of
    equal parity and the odd ones only parts of opposite parity, about half the products of
    layer pairs. Returns [((i, p), [(j, q, kernel, scale), ...]), ...]: H^_i,p gets
    scale * kernel * M^_j,q, real kernels doubled (``_doubled``), the odd ones complex.
    """
    z = torch.arange(nz)
    d = z[:, None] - z[None, :]
    B = torch.zeros(nz, nz, dtype=torch.float64)
    for p, q in _parts(nz):
        B[p, p] = B[p, q] = B[q, p] = 1.0
        if p != q:
            B[q, q] = -1.0
    W = B / torch.diagonal(B @ B)[:, None]  # D^-1 B (B is symmetric)
    parity = [1 if 2 * p <= nz - 1 else -1 for p in range(nz)]
    sign = torch.sign(d).to(torch.float64)[..., None, None]  # the odd components vanish at z = z'
    kernels = {}

    def kernel(c, p, q):
        # K_c is symmetric for the even components and antisymmetric for the odd ones
        key = (c, min(p, q), max(p, q))
        if key not in kernels:
            T = spectrum[c][d.abs()] * (sign if c >= 4 else 1.0)
            K = torch.einsum("z,zwyx,w->yx", W[key[1]], T, W[key[2]])
            kernels[key] = torch.complex(torch.zeros_like(K), K).to(device=device, dtype=dtype.to_complex()) \
                if c >= 4 else _doubled(K, dtype, device)
        return kernels[key], (-1.0 if c >= 4 and p > q else 1.0)

    rows = []
    for i in range(3):
        for p in range(nz):
            terms = [(b if i == a else a, q, *kernel(c, p, q))
                     for c, (a, b) in enumerate(PAIRS) if i in (a, b)
                     for q in range(nz) if (parity[p] == parity[q]) == (c < 4)]
            rows.append(((i, p), terms))
    return rows
