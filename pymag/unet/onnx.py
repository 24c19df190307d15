"""Export of a U-Net checkpoint to ONNX, for inference outside PyTorch (onnxruntime, TensorRT)."""
import os

import torch

from ..errors import PymagError


def export_onnx(path, model=None, size=(64, 64), batch=1):
    """Write the U-Net of checkpoint ``model`` (default: the model shipped with pymag) to the
    ONNX file ``path``, for images of ``size`` = (nx, ny) cells and any batch size.

    Graph input ``m``: (batch, 3L, nx, ny) = M / s (s = max |M| of the film, see the unet
    provider); output ``h``: (batch, 3L, nx, ny) = H_d / s * field_scale (the checkpoint's
    ``field_scale``; Oe per unit of 1000 emu/cc for pymag's models). Returns ``path``."""
    try:
        import onnxscript  # noqa: F401  the exporter needs it
    except ImportError:
        raise PymagError("export_onnx needs the onnx and onnxscript packages: pip install 'pymag[onnx]'") from None
    from .checkpoint import DEFAULT_MODEL, load_model
    net, meta = load_model(DEFAULT_MODEL if model is None else model)
    nx, ny = (int(s) for s in size)
    if nx < 1 or ny < 1 or batch < 1:
        raise PymagError(f"size and batch must be positive, got size={size}, batch={batch}")
    example = torch.zeros(batch, 3 * meta["layers"], nx, ny)
    dims = ({0: torch.export.Dim("batch", min=1, max=4096)},)
    program = torch.onnx.export(net, (example,), dynamo=True, input_names=["m"], output_names=["h"],
                                dynamic_shapes=dims, verbose=False)
    program.save(os.fspath(path))
    return path
