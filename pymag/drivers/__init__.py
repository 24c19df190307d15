"""Time integration and energy minimization of a System."""
