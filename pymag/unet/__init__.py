"""NeuralMAG's U-Net demag model (Cai, Li, Wang; seed 000): architecture, SLA/ISLA, augmentation."""
from .augment import flip, rotate90
from .model import UNet, isla, sla

__all__ = ["UNet", "sla", "isla", "rotate90", "flip"]
