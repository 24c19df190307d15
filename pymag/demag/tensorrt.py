"""The U-Net demag provider compiled by torch_tensorrt in float16 (seed 000 sec. 4.7), CUDA only.

The network is compiled once per input shape (batch, 3L, nx, ny) on first use; inputs and
outputs stay on the GPU and are converted to and from float16 around the engine.
"""
import torch

from ..errors import ProviderError
from . import providers
from .unet import UNetDemag


def _tensorrt():
    """The torch_tensorrt module, or a ProviderError saying what is missing."""
    try:
        import torch_tensorrt
    except ImportError:
        raise ProviderError("the 'tensorrt' demag provider needs the torch_tensorrt package (pip install "
                            "torch-tensorrt matching your torch and CUDA) and an NVIDIA GPU; use method='unet' "
                            "or 'fft' here") from None
    return torch_tensorrt


@providers.register("tensorrt")
class TensorRTDemag(UNetDemag):
    """H_d (A/m) of M (A/m) from the U-Net checkpoint ``model`` compiled to a float16
    TensorRT engine; needs ``device="cuda"``."""

    differentiable = False  # a compiled TensorRT engine has no backward pass

    def __init__(self, mesh, dtype=torch.float32, device="cuda", model=None):
        device = torch.device(device)
        if device.type != "cuda" or not torch.cuda.is_available():
            raise ProviderError("the 'tensorrt' demag provider runs on an NVIDIA GPU only: build the system with "
                                "device='cuda' on a machine where torch.cuda.is_available() (here: "
                                f"{torch.cuda.is_available()}); use method='unet' on the CPU")
        self._trt = _tensorrt()
        super().__init__(mesh, dtype=dtype, device=device, model=model)
        self.net = self.net.half()
        self._engines = {}

    def _predict(self, x):
        shape = tuple(x.shape)
        if shape not in self._engines:
            inputs = [self._trt.Input(shape, dtype=torch.half)]
            self._engines[shape] = self._trt.compile(self.net, ir="dynamo", inputs=inputs,
                                                     enabled_precisions={torch.half})
        with torch.no_grad():
            return self._engines[shape](x.half()).to(x.dtype)
