"""System: mesh + geometry + regions + materials + energy terms + magnetization state."""
import copy

import numpy as np
import torch

from . import init as initial
from .autodiff import leaves, tensors_in
from .errors import MaterialError, PymagError, ShapeMismatchError, StateError
from .geometry import Shape, Universe
from .material import MaterialMap, canonical, check_keys
from .mesh import Mesh
from .params import Params, Resolver
from .region import Region
from .terms.base import Term, add_torques, begin_step, total_energy, total_field
from .vec import cross, norm

DTYPES = {"float64": torch.float64, "float32": torch.float32, "double": torch.float64, "float": torch.float32}


def _dtype(dtype):
    if isinstance(dtype, str):
        if dtype not in DTYPES:
            raise PymagError(f"dtype must be float64 or float32, got {dtype!r}")
        return DTYPES[dtype]
    if dtype not in (torch.float64, torch.float32):
        raise PymagError(f"dtype must be torch.float64 or torch.float32, got {dtype}")
    return dtype


def _device(device):
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise PymagError("device 'cuda' was asked for but PyTorch sees no CUDA device here; use device='cpu'")
    return device


class Assembly:
    """Per-cell tensors built from the regions at the system's time; what terms read in
    ``setup``. ``dynamic`` turns True when a term reads a time-dependent value (the system
    then sets that term up again at each new time, with ``at(t)``)."""

    def __init__(self, system):
        self.mesh = system.mesh
        self.dtype = system.dtype
        self.device = system.device
        self._providers = system._providers
        self.resolver = Resolver(system.params, self.mesh.coordinates, system.t)
        self.resolver.check_params()
        read = {"alpha", "gamma"}.union(*(term.keys for term in system._specs))
        check_keys([(name, material) for _, material, name in system._regions], read)
        inside = system.geometry.mask(self.mesh)
        regions = [(inside & shape.mask(self.mesh), material, name) for shape, material, name in system._regions]
        self.materials = MaterialMap(self.mesh, regions, self.resolver, self.dtype, self.device)
        self.materials.evaluate_all()
        painted = self.materials.region >= 0
        Ms = self.materials.get("Ms", painted, "every magnet")
        positive = Ms.detach() > 0
        if not bool(positive.any()):
            raise MaterialError("no cell is magnetic: the geometry is empty or Ms is zero everywhere")
        self.magnet = positive & torch.as_tensor(painted, device=self.device)
        self.magnet_np = self.magnet.cpu().numpy()
        self.Ms = Ms
        self.inv_Ms = torch.where(positive, 1 / torch.where(positive, Ms, torch.ones_like(Ms)), torch.zeros_like(Ms))
        self.free = self._free(system._fixed, inside)
        self.recorded = torch.is_grad_enabled()
        self.dynamic = False

    def region_mask(self, name, needed_by):
        """Bool numpy array (nx, ny, nz): the cells painted last by the region called ``name``
        ("base" for the system's own material); PymagError naming ``needed_by`` when no
        region has that name."""
        names = self.materials.region_names
        if name not in names:
            raise PymagError(f"{needed_by}: no region named {name!r}; regions: {names}")
        return self.materials.region == names.index(name)

    def _free(self, fixed, inside):
        """Float tensor (nx, ny, nz), 1 on magnetic cells that may move and 0 on frozen ones
        (``System.fix``), or None when nothing is frozen."""
        if not fixed:
            return None
        frozen = np.zeros(self.mesh.n, dtype=bool)
        for region in fixed:
            frozen |= (self.region_mask(region, "fix") if isinstance(region, str)
                       else inside & region.mask(self.mesh))
        return (self.magnet & ~torch.as_tensor(frozen, device=self.device)).to(self.dtype)

    def at(self, t):
        """This assembly at time ``t`` (s): time-dependent values are evaluated again."""
        out = copy.copy(self)
        out.resolver = self.resolver.at(t)
        out.materials = self.materials.at(out.resolver)
        out.dynamic = False
        return out

    @property
    def t(self):
        """The time (s) the values are evaluated at."""
        return self.resolver.t

    def tensor(self, arr):
        """A numpy array as a tensor of the system's dtype and device."""
        return torch.as_tensor(np.ascontiguousarray(arr), dtype=self.dtype, device=self.device)

    def param(self, key, needed_by):
        """Per-cell values of material ``key`` on magnetic cells (zero elsewhere), a tensor
        (nx, ny, nz), or (k, 3, nx, ny, nz) for the axes ``Ku_axis`` (k=1) and ``Kc_axes`` (k=2)."""
        value = self.materials.get(key, self.magnet_np, needed_by)
        self.dynamic = self.dynamic or key in self.materials.dynamic
        return value

    def time_dependent(self, key):
        """True when material ``key`` changes with time."""
        return key in self.materials.dynamic

    def value(self, name, needed_by):
        """The named parameter ``name`` (``system.params``) at this time."""
        value, dynamic = self.resolver.name(name, needed_by)
        self.dynamic = self.dynamic or dynamic
        return value

    def resolve(self, value, needed_by):
        """A term argument at this time: a callable is called with its arguments resolved by
        name (t, x, y, z, parameters); anything else is returned as it is."""
        value, dynamic = self.resolver.evaluate(value, needed_by)
        self.dynamic = self.dynamic or dynamic
        return value

    def provider(self, method, options):
        """The demag provider ``method`` with ``options`` for this mesh, made once per system."""
        from .demag import get_provider
        key = (method, repr(sorted(options.items())))
        if key not in self._providers:
            self._providers[key] = get_provider(method)(self.mesh, dtype=self.dtype, device=self.device, **options)
        return self._providers[key]


class System:
    """A micromagnetic problem: ``System(mesh, geometry, material, terms, m)``.

    ``geometry`` is a Shape (default: the whole mesh); ``material`` a dict of SI values
    for it (keys in ``pymag.material``); ``regions`` a list of ``pm.Region`` painted over it;
    ``terms`` energy-term objects; ``m`` any initial state accepted by ``pymag.init.resolve``
    or a tensor (3, nx, ny, nz), which may require gradients; ``params`` named parameters
    (``system.params``) that values given as functions read by argument name. ``dtype``
    float64 (default) or float32; ``device`` "cpu" or "cuda".
    """

    def __init__(self, mesh, geometry=None, material=None, terms=(), m=(1, 0, 0),
                 dtype=torch.float64, device="cpu", regions=(), params=None):
        if not isinstance(mesh, Mesh):
            raise PymagError(f"System needs a pm.Mesh, got {type(mesh).__name__}")
        self.mesh = mesh
        self.geometry = Universe() if geometry is None else geometry
        if not isinstance(self.geometry, Shape):
            raise PymagError(f"geometry must be a pm shape, got {type(self.geometry).__name__}")
        self.dtype = _dtype(dtype)
        self.device = _device(device)
        mesh.check_memory(torch.finfo(self.dtype).bits // 8, self.device)
        self._regions = [(Universe(), canonical(material, "region 'base'"), "base")]
        self._specs = []
        self._terms = []
        self._assembly = None
        self._providers = {}
        self.params = Params(self._invalidate)
        self.t = 0.0
        self._pending_run = None
        self._pending_sweep = None
        self._autosave = None
        self._fixed = []
        self._term_states = None
        for region in regions:
            self.add_region(region)
        for term in terms:
            self.add(term)
        if params:
            self.params.update(params)
        self.m = m

    # ----- composition -------------------------------------------------------------
    def add_region(self, shape, material=None, name=None):
        """Paint ``material`` (merged over the base material) on the cells of ``shape``
        inside the geometry; later regions override earlier ones. ``shape`` may be a
        ``pm.Region``, which brings its material and name."""
        if isinstance(shape, Region):
            if material is not None or name is not None:
                raise PymagError("add_region(region) takes the material and name from the Region")
            shape, material, name = shape.shape, shape.material, shape.name
        if not isinstance(shape, Shape):
            raise PymagError(f"add_region needs a pm shape or pm.Region, got {type(shape).__name__}")
        name = f"region{len(self._regions)}" if name is None else str(name)
        if any(name == r[2] for r in self._regions):
            raise PymagError(f"a region named {name!r} exists already")
        merged = dict(self._regions[0][1])
        merged.update(canonical(material, f"region {name!r}"))
        self._regions.append((shape, merged, name))
        self._invalidate()

    @property
    def regions(self):
        """The regions painted over the base material, as ``pm.Region`` objects."""
        return [Region(shape, material, name) for shape, material, name in self._regions[1:]]

    def fix(self, *regions):
        """Freeze the magnetization of ``regions`` (region names or pm shapes): dm/dt = 0
        there in ``run``, ``relax`` and ``minimize``, as mumax3's ``FrozenSpins``; the frozen
        cells still act on the others through every field."""
        names = [name for _, _, name in self._regions]
        for region in regions:
            if not isinstance(region, (str, Shape)):
                raise PymagError(f"fix() takes region names or pm shapes, got {type(region).__name__}")
            if isinstance(region, str) and region not in names:
                raise PymagError(f"fix: no region named {region!r}; regions: {names}")
        self._fixed.extend(regions)
        self._invalidate()

    def unfix(self):
        """Let every frozen cell (``fix``) move again."""
        self._fixed = []
        self._invalidate()

    def add(self, term):
        """Add an energy or torque term (a description: the same object may serve several systems);
        its name (E_<name> in tables) is made unique with a suffix. Returns the name."""
        if not isinstance(term, Term):
            raise PymagError(f"add() needs an energy term such as pm.Exchange(), got {type(term).__name__}")
        names = {t.name for t in self._specs}
        if term.name in names:
            k = 2
            while f"{term.name}_{k}" in names:
                k += 1
            term = copy.copy(term)
            object.__setattr__(term, "name", f"{term.name}_{k}")
        object.__setattr__(term, "_added", True)
        self._specs.append(term)
        self._invalidate()
        return term.name

    def remove(self, name):
        """Remove the term called ``name``."""
        if name not in {t.name for t in self._specs}:
            raise PymagError(f"no term named {name!r}; terms: {[t.name for t in self._specs]}")
        self._specs = [t for t in self._specs if t.name != name]
        self._invalidate()
        if self._term_states:  # a term added later under this name starts its own stream
            self._term_states.pop(name, None)

    def term(self, name):
        """The term called ``name`` as set up for this system (its per-cell tensors, its
        demag provider)."""
        self.assemble()
        for t in self._terms:
            if t.name == name:
                return t
        raise PymagError(f"no term named {name!r}; terms: {[t.name for t in self._terms]}")

    def set_demag(self, method, **options):
        """Switch the provider of the demag term(s) to ``method`` ("fft", "unet", "tensorrt",
        with its options such as ``model=``), keeping the state: e.g. cool with the exact
        FFT field, then go on with the U-Net."""
        from .terms.demag import Demag
        if not any(isinstance(t, Demag) for t in self._specs):
            raise PymagError("set_demag: this system has no pm.Demag() term")
        specs = []
        for term in self._specs:
            if isinstance(term, Demag):
                name, term = term.name, Demag(method, **options)
                object.__setattr__(term, "name", name)
                object.__setattr__(term, "_added", True)
            specs.append(term)
        self._specs = specs
        self._invalidate()

    @property
    def terms(self):
        """The energy terms (descriptions), in the order they were added."""
        return list(self._specs)

    def _invalidate(self):
        if getattr(self, "_assembly", None) is not None:
            self._raw_m = self._m if self._m.requires_grad else self._m.detach().cpu().numpy()
            if self._term_states is None:  # the torque terms' random streams go on in the new assembly
                self._term_states = self._states_of(self._terms)
        self._assembly = None

    def assemble(self):
        """Build per-cell tensors and set up every term (done once, lazily; again after a
        change, or when a tensor it was built from was changed in place, as an optimizer does)."""
        if self._assembly is not None and any(t._version != v for t, v in self._assembly.leaf_versions):
            self._invalidate()
        if self._assembly is None:
            ctx = Assembly(self)
            bound = []
            for term in self._specs:
                ctx.dynamic = False
                compiled = copy.copy(term)
                object.__setattr__(compiled, "_set_up", True)
                compiled.setup(ctx)
                compiled._dynamic = ctx.dynamic
                compiled._time = ctx.t
                if self._term_states and compiled.name in self._term_states:
                    compiled.load_state(self._term_states[compiled.name])
                bound.append(compiled)
            tensors = [ctx.Ms] + [x for term in bound for x in tensors_in(term)]
            ctx.leaves = leaves(tensors)
            ctx.leaf_versions = [(t, t._version) for t in ctx.leaves]
            self._terms = bound
            self._term_states = None
            self._assembly = ctx
            self._set_m(self._raw_m)
        return self._assembly

    def _fresh(self):
        """Assemble again when gradients are recorded and the assembly depends on tensors that
        require them (each differentiable computation gets its own graph), or was built while
        no gradients were recorded (by a plain run), when it could not know of such tensors."""
        ctx = self._assembly
        if ctx is not None and torch.is_grad_enabled() and (ctx.leaves or not ctx.recorded):
            self._invalidate()
        return self.assemble()

    def _terms_at(self, t):
        """The set-up terms, those reading time-dependent values set up again at time ``t`` (s)."""
        self.assemble()
        for term in self._terms:
            if term._dynamic and term._time != t:
                term.setup(self._assembly.at(t))
                term._time = t
        return self._terms

    @property
    def leaves(self):
        """The tensors with ``requires_grad`` that the fields are built from (material values,
        parameters, term arguments): what ``run(adjoint=True)`` differentiates by."""
        return list(self.assemble().leaves)

    # ----- state -------------------------------------------------------------------
    @property
    def m(self):
        """Unit magnetization, tensor (3, nx, ny, nz); zero outside the magnet."""
        self.assemble()
        return self._m

    @m.setter
    def m(self, spec):
        if isinstance(spec, torch.Tensor) and spec.requires_grad:
            if tuple(spec.shape) != (3,) + self.mesh.n:
                raise ShapeMismatchError(f"initial magnetization has shape {tuple(spec.shape)}, "
                                         f"expected {(3,) + self.mesh.n}")
            if not bool(torch.isfinite(spec.detach()).all()):
                raise StateError("initial magnetization contains NaN or infinite values")
            self._raw_m = spec
        else:
            self._raw_m = initial.resolve(spec, self.mesh)
        if self._assembly is not None:
            self._set_m(self._raw_m)

    def _restore(self, m, t):
        """Take a checkpointed m (tensor) bit for bit, after the setter's checks, and the time t (s):
        renormalising would change the last bits, and a resumed run would drift from an
        uninterrupted one."""
        initial.resolve(m.numpy(), self.mesh)  # the setter's checks: shape, finite values
        self._raw_m = m.numpy().astype(float)
        if self._assembly is not None:
            self._set_m(self._raw_m)
        self.t = float(t)

    def _set_m(self, arr):
        ctx = self._assembly
        if isinstance(arr, torch.Tensor):
            arr = arr.to(dtype=self.dtype, device=self.device)
            length = norm(arr)
            if bool((length.detach()[ctx.magnet] == 0).any()):
                raise StateError("the initial magnetization is zero in some magnetic cells")
            self._m = torch.where(ctx.magnet, arr / torch.where(ctx.magnet, length, 1.0), 0.0)
            return
        mask = ctx.magnet_np
        if np.any(np.linalg.norm(arr, axis=0)[mask] == 0):
            raise StateError("the initial magnetization is zero in some magnetic cells")
        self._m = ctx.tensor(arr * mask)

    @property
    def magnet(self):
        """Bool tensor (nx, ny, nz): True on magnetic cells."""
        return self.assemble().magnet

    @property
    def Ms(self):
        """Saturation magnetization per cell (A/m), tensor (nx, ny, nz)."""
        return self.assemble().Ms

    @property
    def m_average(self):
        """Mean of m over the magnetic cells, numpy array (3,)."""
        return self.average(self.m)

    def average(self, m):
        """Mean over magnetic cells of a vector field ``m`` (..., 3, nx, ny, nz), numpy."""
        mask = self.magnet
        return (m.sum(dim=(-3, -2, -1)) / mask.sum()).detach().cpu().numpy()

    # ----- fields and energies -----------------------------------------------------
    def field(self, name=None, m=None):
        """Effective field (A/m), shape (3, nx, ny, nz): the total, or one term's by name.
        A tensor with a graph when the system is built from tensors that require gradients."""
        self._fresh()
        m = self.m if m is None else m
        if name is not None:
            self.term(name)
            return next(t for t in self._terms_at(self.t) if t.name == name).field(m, self.t)
        return self.total_field(m, self.t)

    def total_field(self, m, t):
        """Sum of all terms' fields for ``m`` at time ``t`` (A/m)."""
        return total_field(self._terms_at(t), m, t)

    def add_torques(self, dm, m, t):
        """Add the torque terms' dm/dt (1/s) for ``m`` at time ``t`` to ``dm`` in place."""
        add_torques(self._terms_at(t), dm, m, t)

    def begin_step(self, t, dt, redraw):
        """A stepper starts a step from ``t`` of size ``dt`` (s); True when a torque term
        changed for it (see ``pymag.terms.base.Torque.begin_step``)."""
        return begin_step(self._terms, t, dt, redraw)

    def energies(self, m=None):
        """Energy of every term (J), a dict of floats."""
        m = self.m if m is None else m
        return {t.name: float(t.energy(m, self.t)) for t in self._terms_at(self.t) if t.conservative}

    def energy(self, m=None):
        """Total energy (J), a float; ``energy_tensor`` keeps the graph for gradients."""
        return sum(self.energies(m).values())

    def energy_tensor(self, m=None):
        """Total energy (J), a 0-dim tensor (differentiable)."""
        self._fresh()
        return self._energy(self.m if m is None else m)

    def energy_density(self, name=None, m=None):
        """Energy density (J/m^3), a tensor (nx, ny, nz): the total, or one term's by name."""
        self._fresh()
        m = self.m if m is None else m
        terms = [t for t in self._terms_at(self.t) if t.conservative or t.name == name]
        if name is not None:
            self.term(name)
            terms = [t for t in terms if t.name == name]
        return sum(t.energy_density(m, self.t) for t in terms)

    # ----- the drivers' view of a state (shared with pm.Ensemble, which batches it) -----
    def _energy(self, m):
        """Total energy (J) of ``m``, a 0-dim tensor."""
        return total_energy(self._terms_at(self.t), m, self.t)

    def _clock(self):
        """The time (s) at which drivers that do not advance time evaluate the terms."""
        return self.t

    def _Ms_max(self):
        """Largest Ms (A/m), a 0-dim tensor."""
        return self.Ms.max()

    def _store(self, m, t=None):
        """Take ``m`` (and the time ``t``, s) as the current state."""
        self._m = m
        if t is not None:
            self.t = t

    def table_row(self):
        """The current state as a table row: t (s), <m>, E_total and E_<term> (J)."""
        from .drivers.run import _row
        return _row(self, self.t, self.m)

    def torque(self, m=None):
        """Largest |m x H_eff| over the cells that may move (A/m; frozen cells, ``fix``, left
        out): zero at equilibrium."""
        m = self.m if m is None else m
        torque = norm(cross(m, self.total_field(m, self.t)))
        free = self.assemble().free
        return float((torque if free is None else torque * free).max())

    # ----- drivers -----------------------------------------------------------------
    def run(self, duration=None, **options):
        """Integrate the LLG equation for ``duration`` (s), or with none until ``until=`` or
        ``max_torque=`` stops it; returns a pm.Table. See ``pymag.drivers.run.run``."""
        from .drivers.run import run
        return run(self, duration, **options)

    def relax(self, **options):
        """Damping-only dynamics until energy and torque stop falling (see drivers.relax)."""
        from .drivers.relax import relax
        return relax(self, **options)

    def minimize(self, **options):
        """Steepest descent with Barzilai-Borwein steps (see drivers.minimize)."""
        from .drivers.minimize import minimize
        return minimize(self, **options)

    def hysteresis(self, H, direction=(1, 0, 0), **options):
        """Sweep an applied field ``H`` (A/m) along ``direction``, settling at each value;
        returns a HysteresisResult (see drivers.hysteresis)."""
        from .drivers.hysteresis import hysteresis
        return hysteresis(self, H, direction, **options)

    # ----- output ------------------------------------------------------------------
    def autosave(self, every, directory=None, snapshots=True, table=True, fmt="binary4"):
        """During every later run, save at simulated times 0, every, 2 every, ... (s): a row of
        ``table.txt`` and m as ``m000000.ovf``, ``m000001.ovf``, ... in ``directory``
        (default: the script's output folder, ``pm.io.output_dir()``), as mumax3's autosave.
        ``every=None`` switches it off."""
        from .io.output import Autosave
        self._autosave = None if every is None else Autosave(every, directory, snapshots, table, fmt)

    def save(self, path, fmt="binary4", quantity="m"):
        """Write a quantity to ``path``: ``.ovf`` (OVF 2.0; ``fmt`` binary4, binary8 or text) or
        ``.vti`` (VTK image data, for ParaView, holding m, Ms (A/m) and the total energy density
        (J/m^3) as cell data). ``quantity`` (OVF): "m", "energy_density" (the total, J/m^3) or
        "energy_density:<term name>"."""
        suffix = str(path).lower().rsplit(".", 1)[-1]
        if suffix == "ovf":
            from .io.ovf import save_ovf
            if quantity == "m":
                save_ovf(path, self.m, self.mesh, fmt=fmt, t=self.t)
            elif quantity.split(":")[0] == "energy_density":
                term = quantity.split(":", 1)[1] if ":" in quantity else None
                with torch.no_grad():
                    density = self.energy_density(term)
                save_ovf(path, density, self.mesh, name=f"E_{term or 'total'}", unit="J/m3", fmt=fmt, t=self.t)
            else:
                raise PymagError(f"cannot save quantity {quantity!r}: use 'm', 'energy_density' or "
                                 f"'energy_density:<term>' with a term of {[t.name for t in self._specs]}")
        elif suffix == "vti":
            from .io.vtk import save_vti
            with torch.no_grad():
                fields = {"m": self.m, "Ms": self.Ms, "energy_density": self.energy_density()}
            save_vti(path, fields, self.mesh)
        else:
            raise PymagError(f"cannot save {path}: use a .ovf or .vti file name (save_state writes checkpoints)")

    def to_field(self, quantity="m", centre=(0.0, 0.0, 0.0)):
        """``quantity`` ("m": M = Ms m in A/m, "H": the effective field in A/m, "energy_density"
        in J/m^3) as a ``discretisedfield.Field`` centred on ``centre`` (m); needs the ubermag
        extra. See ``pymag.io.fields.to_field``."""
        from .io.fields import to_field
        return to_field(self, quantity, centre)

    def plot(self, path=None, **options):
        """Matplotlib figure of m: in-plane angle as hue, m_z as lightness, a panel per layer
        (see pm.viz.plot_m)."""
        from .viz.plot2d import plot_m
        return plot_m(self, path, **options)

    def show3d(self, path=None, kind="arrows", **options):
        """pyvista 3-D view of m (kind "arrows", "surface" or "slice"), off-screen when saved
        to ``path``; returns the image (see pm.viz.show3d)."""
        from .viz.view3d import show3d
        return show3d(self, path, kind=kind, **options)

    # ----- checkpoints -------------------------------------------------------------
    def save_state(self, path, **extra):
        """Write m and t (and ``extra`` run bookkeeping) to a checkpoint file."""
        from .io.checkpoint import save_checkpoint
        save_checkpoint(path, {"m": self.m.detach().cpu(), "t": self.t, "n": list(self.mesh.n),
                               "terms": self._term_state(), **extra})

    def _term_state(self):
        """What the torque terms need to resume exactly (their random streams), by term name."""
        self.assemble()
        return self._states_of(self._terms)

    @staticmethod
    def _states_of(terms):
        states = {t.name: t.state() for t in terms if not t.conservative}
        return {name: state for name, state in states.items() if state is not None}

    def _load_term_state(self, states):
        """Hand the torque terms what ``_term_state`` returned (when set up, or once they are)."""
        self._term_states = states or None
        if self._assembly is not None and self._term_states:
            for term in self._terms:
                if term.name in self._term_states:
                    term.load_state(self._term_states[term.name])
            self._term_states = None

    def load_state(self, path):
        """Restore m and t from a checkpoint; an interrupted ``run`` (or ``hysteresis``) then
        resumes when called again with the same duration (or sweep). Returns the checkpoint dict."""
        from .io.checkpoint import load_checkpoint
        data = load_checkpoint(path)
        if list(data.get("n", [])) != list(self.mesh.n):
            raise StateError(f"checkpoint {path} is for a mesh of {data.get('n')} cells, this system has {self.mesh.n}")
        self._restore(data["m"], data["t"])
        self._load_term_state(data.get("terms"))
        self._pending_run = data.get("run")
        self._pending_sweep = data.get("hysteresis")
        return data

    def __repr__(self):
        terms = ", ".join(repr(t) for t in self._specs)
        return f"System({self.mesh!r}, geometry={self.geometry!r}, regions={len(self._regions)}, terms=[{terms}])"
