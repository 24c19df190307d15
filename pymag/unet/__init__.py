"""NeuralMAG's U-Net demag model (Cai, Li, Wang; seed 000): architecture, SLA/ISLA, augmentation."""
from .augment import flip, rotate90
from .checkpoint import DEFAULT_MODEL, PAPER_MODEL
from .model import UNet, isla, sla
from .onnx import export_onnx

__all__ = ["UNet", "sla", "isla", "rotate90", "flip", "export_onnx", "DEFAULT_MODEL", "PAPER_MODEL"]
