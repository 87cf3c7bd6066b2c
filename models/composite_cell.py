"""Composite-electrode all-solid-state cells as PyBaMM DFN, SPMe or SPM models.

The composite electrode is PyBaMM's porous electrode with

* the sulfide SE as the "electrolyte" (cation transference number 1, set by the
  parameter set) filling the SE volume fraction ("porosity"), at a uniform, constant
  Li+ concentration (PyBaMM's ``ConstantConcentration`` electrolyte diffusion). In a
  single-ion conductor the anion framework is immobile and the salt balance
  eps dc/dt = -div(-D grad c + t+ i_e / F) + a j / F loses its source with t+ = 1
  (Janek, Zeier, Nat. Energy 1 (2016) 16141, doi:10.1038/nenergy.2016.141): c stays
  uniform. Solving that balance anyway is not harmless: discretised, the migration
  and source terms do not cancel exactly at the separator | composite interface
  (after a 0.15C lithiation of Choi 2025's anode c_e reads 1010 | 294 mol/m3 across
  it), and with the composite's D_eff ~ 1e-15 m2/s nothing relaxes the error, so c_e
  falls to ~0 (and below) at 1.5C: IDA failures and a spurious concentration
  overpotential (``tests/validation/test_choi2025.py`` runs that rate step);
* ``"transport efficiency": "tortuosity factor"`` with the binder's neck blocking
  (:class:`BinderBlockedTortuosity`): the effective ionic conductivity
  sigma_SE (eps / tau) f(w) (see ``ssbsim.parameter_sets.components``);
* the interface utilisation replaced by :class:`BinderCoveredContact`, so the active
  interfacial area is a_geom (1 - theta_binder) phi_contact;
* optionally, the Fickian particles' diffusivity seen through the uncovered surface,
  D (1 - theta)^2 (ssbsim's option ``"coverage entry"``, :mod:`~ssbsim.models.covered_entry`),
  so that the covered area also blocks Li entry;
* two particle phases (``"particle phases"``) for Si-graphite.

With ``mechanics=True`` (ssbsim's option ``"contact mechanics": "lognormal size
classes"``, :func:`name_mechanisms`) each composite electrode's particle phases get
:class:`ContactLossActiveMaterial` (contact states, isolation as loss of active
material: PyBaMM's ``"loss of active material"`` reads ``"contact isolation"``), the
transport becomes :class:`ContactTortuosity` (voids and the electrode | SE-layer contact
resistance) and the operando thickness / pressure outputs are added (``models.operando``).
The ``fixture`` option sets the stack pressure the contact laws read
(``models.fixture``): the set pressure, or the pressure a spring or a rigid gap makes of
the electrodes' breathing.

Models up to :data:`SCALAR_JACOBIAN_MAX_STATES` states (SPM, SPMe) get the solver
Jacobian by CasADi SX AD (:func:`scalar_jacobian`), several times cheaper to evaluate
than PyBaMM's MX AD; same matrix, same solutions to solver tolerance.

Half cells use PyBaMM's ``"working electrode": "positive"``: the composite (cathode or
anode) is PyBaMM's positive electrode and the counter electrode is a Li metal interface;
voltages are vs Li/Li+, and ``"Voltage vs counter electrode [V]"`` subtracts the counter
electrode's potential (0.62 V for Li-In).
"""

import casadi
import pybamm

from .contact_mechanics import DEFAULT_SIZE_CLASSES, ContactLossActiveMaterial
from .contact_transport import BinderBlockedTortuosity, ContactTortuosity
from .covered_entry import use_covered_entry
from .fixture import StackFixture
from .interface_contact import BinderCoveredContact
from .interphase_inventory import use_inventory_limited_reduction
from .operando import operando_variables
from .options import CONTACT_ISOLATION, MECHANISMS, OPTIONS, check_option
from .reconnected_lithium import use_reconnecting_particles

#: Models up to this many states get the SX Jacobian (the x-averaged ones: SPM ~50, SPMe ~100).
SCALAR_JACOBIAN_MAX_STATES = 300


def scalar_jacobian(expression, y):
    """Jacobian of a converted model expression w.r.t. y by CasADi SX (scalar) AD of the
    expanded graph; set as the model's ``build_casadi_jacobian`` (PyBaMM's hook, kept by
    the model copies the simulation makes). The residual stays MX.

    PyBaMM differentiates the MX graph: one forward sweep per Jacobian colour, each
    through every operation its columns reach. The expanded SX Jacobian is the same
    matrix (to rounding) as one flat list of scalar operations, which evaluates several
    times faster for the x-averaged models. Plain MX AD where the graph does not
    expand (an operation without an SX form, e.g. a B-spline interpolant), for the
    separate rhs / algebraic Jacobians (IDAKLU uses the full one) and above
    :data:`SCALAR_JACOBIAN_MAX_STATES`: the DFN's (529 states) expands to ~34,000 scalar
    operations, and the set-up of its SX Jacobian (three step models per simulation)
    costs more than its faster evaluation saves in a sweep of one-solve cases: the DFN
    keeps MX AD. Measured timings: the documentation's performance page.
    """
    if y.numel() > SCALAR_JACOBIAN_MAX_STATES or expression.numel() != y.numel():
        return casadi.jacobian(expression, y)  # large model, or not the full residual
    states = y.primitives()  # y is a symbol or (DAE) the vertcat of y_diff and y_alg
    others = [x for x in casadi.symvar(expression)  # t and the input parameters
              if not any(casadi.is_equal(x, q) for q in states)]
    try:
        f = casadi.Function("residual", states + others, [expression]).expand()
    except RuntimeError:
        return casadi.jacobian(expression, y)
    sx = f.sx_in()
    jac = casadi.jacobian(f.call(sx)[0], casadi.vertcat(*sx[:len(states)]))
    return casadi.Function("jacobian_sx", sx, [jac]).call(states + others)[0]


def name_mechanisms(options: pybamm.BatteryModelOptions, mechanisms: dict) -> None:
    """Add ssbsim's :data:`~ssbsim.models.options.MECHANISMS` (name -> value, validated
    here) to a model's processed PyBaMM options, in place (its submodels share them), so
    that ``model.options`` names what runs. With contact mechanics, PyBaMM's ``"loss of
    active material"`` of each porous electrode (and particle phase) reads
    :data:`~ssbsim.models.options.CONTACT_ISOLATION`, the mechanism that removes its
    active material (``ContactLossActiveMaterial`` replaces PyBaMM's submodel)."""
    for name in MECHANISMS:
        options.possible_options[name] = list(OPTIONS[name])
        options[name] = check_option(name, mechanisms.get(name, OPTIONS[name][0]))
    if options["contact mechanics"] != "none":
        options.possible_options["loss of active material"] = [
            *options.possible_options["loss of active material"], CONTACT_ISOLATION]
        options["loss of active material"] = tuple(
            "none" if options.electrode_types[d] == "planar"
            else CONTACT_ISOLATION if len(options.phases[d]) == 1 else (CONTACT_ISOLATION,) * 2
            for d in ("negative", "positive"))


_MODELS = {"DFN": pybamm.lithium_ion.DFN, "SPMe": pybamm.lithium_ion.SPMe, "SPM": pybamm.lithium_ion.SPM}


#: PyBaMM's SEI submodel that carries the SE's reduction on an anode
#: (``parameter_sets.interphase``): Li crossing the film as interstitials in
#: equilibrium with the particle, so the rate falls tenfold per ~66 mV of its potential.
INTERPHASE_SEI_OPTION = "interstitial-diffusion limited"


def pybamm_options(cell: str, positive_phases: int = 1, negative_phases: int = 1,
                   mechanics: bool = False, interphase_domains: tuple = ()) -> dict:
    """Options of a composite-electrode cell: PyBaMM's and ssbsim's ``"contact
    mechanics"`` (:func:`composite_cell_model` adds it to ``model.options``).
    ``interphase_domains``: the composite electrodes ("positive", "negative") on whose
    particle phases the SE is reduced (anodes below 1.71 V vs Li/Li+)."""
    check_option("cell", cell)
    options = {"transport efficiency": "tortuosity factor",
               "contact mechanics": OPTIONS["contact mechanics"][1 if mechanics else 0]}
    if interphase_domains:
        if cell == "half" and set(interphase_domains) != {"positive"}:
            raise ValueError("a half cell's only composite electrode is the positive one")
        options["SEI"] = tuple(INTERPHASE_SEI_OPTION if d in interphase_domains else "none"
                               for d in ("negative", "positive"))
        options["SEI film resistance"] = "none"
    if cell == "half":
        options["working electrode"] = "positive"
        if positive_phases == 2:
            options["particle phases"] = ("1", "2")
    elif (positive_phases, negative_phases) != (1, 1):
        options["particle phases"] = (str(negative_phases), str(positive_phases))
    return options


def composite_electrodes(cell: str) -> tuple:
    """The composite electrodes of a ``cell`` ("half": the working electrode is PyBaMM's
    positive; "full": both)."""
    return ("positive",) if cell == "half" else ("negative", "positive")


_PHASE_PREFIXES = {"": "primary", "Primary: ": "primary", "Secondary: ": "secondary"}


def _hysteretic(parameter_values) -> list[tuple[str, str]]:
    """(parameter prefix, domain) of every phase whose parameter values hold measured
    lithiation and delithiation OCP branches (``"... electrode lithiation OCP [V]"``, set
    from an ``ActiveMaterial``'s ``ocp_branches``)."""
    names = set(parameter_values.keys())
    return [(pre, domain) for pre in _PHASE_PREFIXES for domain in ("negative", "positive")
            if f"{pre}{domain.capitalize()} electrode lithiation OCP [V]" in names]


def hysteresis_phases(parameter_values) -> tuple:
    """The (domain, phase) pairs whose parameter values hold measured OCP branches, sorted."""
    return tuple(sorted((domain, _PHASE_PREFIXES[pre]) for pre, domain in _hysteretic(parameter_values)))


def on_ocp_branch(parameter_values, lithiated_domains: tuple = ()):
    """A copy of ``parameter_values`` whose hysteretic phases (:func:`hysteresis_phases`)
    follow one measured OCP branch as their single OCP, at rest too: the lithiation
    branch in ``lithiated_domains`` ("negative", "positive"), the delithiation branch
    elsewhere (the branch parameters removed, so no model built on it switches). The
    current sigmoid returns to the branches' mean whenever the current stops, where a
    hysteretic material (and PyBaMM's one-state hysteresis) stays on the branch it came
    along: a rested measurement after a lithiation (or delithiation) is taken so."""
    pv = parameter_values.copy()
    for pre, domain in _hysteretic(parameter_values):
        name = f"{pre}{domain.capitalize()} electrode"
        branch = "lithiation" if domain in lithiated_domains else "delithiation"
        pv[f"{name} OCP [V]"] = pv[f"{name} {branch} OCP [V]"]
        del pv[f"{name} lithiation OCP [V]"], pv[f"{name} delithiation OCP [V]"]
    return pv


def ocp_option(cell: str, positive_phases: int, negative_phases: int, hysteresis: tuple = ()) -> dict:
    """PyBaMM's ``"open-circuit potential"`` option: ``"current sigmoid"`` (the lithiation
    branch while the electrode lithiates, the delithiation branch while it delithiates,
    their mean at rest; Ai et al. 2022 in PyBaMM) on the (domain, phase) pairs of
    ``hysteresis``, ``"single"`` (the one OCP) elsewhere; ``{}`` if there are none."""
    if not hysteresis:
        return {}

    def of(domain, n):
        o = tuple("current sigmoid" if (domain, ph) in hysteresis else "single" for ph in ("primary", "secondary")[:n])
        return o if n > 1 else o[0]
    return {"open-circuit potential": (of("negative", 1 if cell == "half" else negative_phases),
                                       of("positive", positive_phases))}


def composite_cell_model(
    model: str = "DFN", cell: str = "half", positive_phases: int = 1, negative_phases: int = 1,
    mechanics: bool = False, size_classes: int = DEFAULT_SIZE_CLASSES, interphase_domains: tuple = (),
    extra_options: dict | None = None, fixture: str = "constant pressure", hysteresis: tuple = (),
):
    """A built PyBaMM model of a composite-electrode all-solid-state cell.

    Parameters
    ----------
    model : {"DFN", "SPMe", "SPM"}
    cell : {"half", "full"}
        ``half``: composite | SE layer | Li (or Li-In); ``full``: composite | SE | composite.
    positive_phases, negative_phases : {1, 2}
        Number of active-material particle phases (2 for Si-graphite, graphite primary).
    mechanics : bool
        Add stack-pressure-dependent contact loss, voids, delamination and binder
        mechanics (``models.contact_mechanics``).
    size_classes : int
        Lognormal size classes per particle phase in the contact law.
    interphase_domains : tuple of {"positive", "negative"}
        Composite anodes on whose particles the SE is reduced (PyBaMM's SEI submodel
        limited by the SE's inventory, ``models.interphase_inventory``;
        ``parameter_sets.interphase``); default none.
    extra_options : dict, optional
        Further PyBaMM options, e.g. ``{"surface form": "differential"}`` for
        ``pybamm.EISSimulation`` (``simulator.characterise_cells.eis``), and ssbsim's
        ``"coverage entry"`` (default ``"none"``, or ``"effective diffusivity"``).
    fixture : {"constant pressure", "spring", "rigid"}
        What holds the stack (``models.fixture``); "spring" and "rigid" need mechanics.
    hysteresis : tuple of (domain, phase)
        Phases that follow their lithiation or delithiation OCP branch with the current
        (:func:`ocp_option`; the parameter values must hold both branches:
        :func:`hysteresis_phases`); default none.
    """
    check_option("model", model)
    options = (pybamm_options(cell, positive_phases, negative_phases, mechanics, tuple(interphase_domains))
               | ocp_option(cell, positive_phases, negative_phases, tuple(hysteresis)) | (extra_options or {}))
    if "loss of active material" in options:
        raise ValueError("'loss of active material' of a composite cell is set by its 'contact mechanics' option")
    own = {"fixture": fixture} | {name: options.pop(name) for name in MECHANISMS if name in options}
    m = _MODELS[model](options=options, build=False)
    name_mechanisms(m.options, own)
    mechanics = m.options["contact mechanics"] != "none"
    fixture = m.options["fixture"]
    if fixture != "constant pressure" and not mechanics:
        raise ValueError(f"fixture={fixture!r} needs mechanics=True: without contact mechanics the "
                         "electrodes do not breathe and no law reads the pressure")
    composite_domains = composite_electrodes(cell)
    for domain in composite_domains:
        m.submodels[f"{domain.capitalize()} interface utilisation"] = BinderCoveredContact(
            m.param, domain, m.options, mechanics=mechanics)
        if mechanics:
            for phase in m.options.phases[domain]:
                m.submodels[f"{domain} {phase} active material"] = ContactLossActiveMaterial(
                    m.param, domain, m.options, phase, size_classes)
    use_inventory_limited_reduction(m, tuple(interphase_domains))
    if m.options["coverage entry"] == "effective diffusivity":
        use_covered_entry(m, composite_domains)
    if mechanics:
        use_reconnecting_particles(m, composite_domains)
    if "electrolyte diffusion" in m.submodels:
        # single-ion conductor (t+ = 1): the Li+ concentration stays uniform (module docstring)
        m.submodels["electrolyte diffusion"] = pybamm.electrolyte_diffusion.ConstantConcentration(m.param, m.options)
    m.submodels["electrolyte transport efficiency"] = (ContactTortuosity if mechanics else BinderBlockedTortuosity)(
        m.param, m.options, composite_domains)
    if mechanics:
        m.submodels["stack fixture"] = StackFixture(m.param, m.options, fixture, composite_domains,
                                                    cell == "half")
    m.build_model()
    m.build_casadi_jacobian = scalar_jacobian
    m.name = (f"ssbsim composite {cell} cell ({model}{', mechanics' if mechanics else ''}"
              f"{'' if fixture == 'constant pressure' else ', ' + fixture + ' fixture'}"
              f"{', SE reduction' if interphase_domains else ''})")
    V = m.variables["Voltage [V]"]
    m.variables["Voltage vs counter electrode [V]"] = V - pybamm.Parameter(
        "Counter electrode potential vs Li/Li+ [V]")
    if mechanics:
        m.variables.update(operando_variables(m, composite_domains, cell == "half"))
    return m
