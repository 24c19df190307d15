"""Figures of magnetization states."""
from .plot2d import colorize, plot_m

__all__ = ["colorize", "plot_m"]
