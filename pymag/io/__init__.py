"""Input and output: tables, OVF 2.0/1.0 files, VTK image data, checkpoints."""
from .fields import FieldData, from_field, to_field
from .ovf import OvfData, load_ovf, save_ovf
from .output import output_dir
from .table import Table
from .vtk import save_vti

__all__ = ["from_field", "to_field", "FieldData", "Table", "OvfData", "load_ovf", "save_ovf", "save_vti", "output_dir"]
