"""Contact loss of a composite electrode as a PyBaMM active-material submodel.

The particle contact law of :mod:`ssbsim.models.contact_law` (equations there) is
integrated for K lognormal size classes of each particle phase, driven by the
x-averaged stoichiometry of the phase's connected particles and the effective pressure

    P_eff = P_stack + P_b0 [r + (1 - r) exp(-t / tau_b(T))]      (binder traction)

with the binder's relaxation time tau_b(T) (WLF) and retained fraction r (rubber
elasticity) of ``models.binder_mechanics``.

Isolated particles are lost active material: eps_AM = eps_AM0 (1 - f_iso), so their
lithium is stranded (PyBaMM's loss-of-active-material accounting); gap-isolated ones
reconnect as the SE creeps back and return the isolated particles' mean lithium
(``models.reconnected_lithium``). The contact fraction of the connected surface
multiplies the kinetics through :class:`BinderCoveredContact`.

States per phase (scalars without a domain, one value per cell as on PyBaMM's 1D
current collector): the mean stoichiometries of the connected particles
(eps dx/dt = -a j / (F c_max), plus what reconnecting particles bring) and of the
isolated ones (``models.reconnected_lithium``), the running maximum radial strain
s_max [%] and, per size class k, closure c_k, damage opening d_k, void v_k [10 nm], isolated fraction z_k [-] and
its unloaded part w_k <= z_k (displaced or cut off by cracks: these do not reconnect as the
SE creeps back, the gap-isolated rest do; ``contact_law.isolation_rates``) (the SI values
are the variables ``... closure [m]`` etc.). Size classes:
R_k = R_c exp(sigma xi_k), probabilists' Gauss-Hermite nodes xi_k with number weights w_k.

Cost: the whole law is one ``pybamm.Function`` node that CasADi evaluates as one call of
an SX function (:mod:`ssbsim.models.contact_law_sx`); the states are in the law's units
(no PyBaMM ``scale``) and eps_AM is x-averaged. Aggregates (contact fraction, void, mean
gap) stay algebraic variables: inlined, every kinetics row would depend on every
size-class state. Measured overheads: ``benchmarks/`` and the docs' performance page.

Parameters (``<pre>`` is the phase prefix, e.g. ``"Secondary: "``):
``<pre><Domain> electrode volumetric strain`` (function of stoichiometry),
``<pre><Domain> particle contact radius [m]``, ``<pre><Domain> particle size
log-standard deviation``, ``<pre><Domain> electrode swelling particle volume fraction``
(the layer's share of the particles that strain so: ``models.layer_decohesion``), the
binder's parameters of ``models.binder_laws`` (traction, void-nucleation factor chi and
fracture energy are evaluated from them), ``... binder
relaxation time [s]`` (at the WLF reference), ``... binder glass transition
temperature [K]``, ``... binder crosslink density [mol.m-3]``, ``... binder entanglement
modulus [Pa]``, ``Binder WLF constant C1``, ``Binder WLF constant C2 [K]``, ``Ambient
temperature [K]`` and every field of ``ContactLawParameters`` (its PyBaMM name); the stack
pressure is the model variable ``"Stack pressure [Pa]"`` that the fixture option sets
(``models.fixture``).
"""

from __future__ import annotations

import casadi
import numpy as np
import pybamm

from ssbsim.citations import cite

from . import binder_laws
from .binder_mechanics import binder_traction, relaxation_time_s, retained_fraction
from .contact_law import ContactLawParameters
from .contact_law_sx import (_CASADI_TYPES, LAW_INPUTS, LENGTH_UNIT_M, RATE_OUTPUTS, SCALAR_OUTPUTS, STRAIN_UNIT, VECTOR_INPUTS,
                             ContactLawCall, _relu_h, law_output_slices)
from .phases import phase_names
from .reconnected_lithium import RECONNECTED_VOLUME_RATE, STRANDED_CONCENTRATION
from .strain import radial_strain

DEFAULT_SIZE_CLASSES = 5
#: Algebraic aggregates of each phase and their scales.
AGGREGATES = {"contact fraction": 1.0, "void fraction increase": 1e-2, "mean gap [m]": LENGTH_UNIT_M}
#: The connected particles' stoichiometry rate of a phase of a two-phase electrode, an
#: algebraic variable, and its scale (1C moves x by ~3e-4 s-1).
STO_RATE = "stoichiometry rate of connected particles [s-1]"
STO_RATE_SCALE_S = 1e-4
#: States of each size class (in the law's units: lengths in 10 nm), and the SI
#: variables they are reported as.
SIZE_CLASS_STATES = VECTOR_INPUTS
#: The mean stoichiometry x_str of a phase's isolated particles, a state
#: (``reconnected_lithium``), and the volume fraction h [-] below which the rates
#: divided by the isolated fraction Z (x_str's, G (x_c - x_str) / Z) or by the connected
#: one 1 - Z (the reconnected volume per connected volume, eps_0 R_rec / eps) stop
#: growing: each is floored smoothly at h / 2 (``_floored``).
ISOLATED_STO = "mean stoichiometry of isolated particles"
ISOLATED_FLOOR = 1e-6
#: Scale of the reconnected volume per connected volume, an algebraic variable [s-1]
#: (a fast delithiation's reconnection runs at 1e-6-1e-4 s-1).
RECONNECTED_SCALE_S = 1e-6
#: Smoothing of |ds/dt| [s-1], far below the strain rates of cycling (~1e-6 s-1 at C/10).
STRAIN_RATE_SMOOTHING = 1e-12
SIZE_CLASS_SI = {"closure [10 nm]": ("closure [m]", LENGTH_UNIT_M),
                 "damage opening [10 nm]": ("damage opening [m]", LENGTH_UNIT_M),
                 "void [10 nm]": ("void [m]", LENGTH_UNIT_M)}
def _stack(*xs):
    """Scalars stacked into a column (NumPy or CasADi): PyBaMM's NumpyConcatenation
    cannot be discretised on symbols without a domain, a ``Function`` node can."""
    if any(isinstance(x, _CASADI_TYPES) for x in xs):
        return casadi.vertcat(*xs)
    return np.vstack([np.reshape(x, (-1, 1)) for x in xs])


def relu_h(y, h):
    """C1-smooth max(y, 0) = y+^2 / (y+ + h), as in ``contact_law.relu_h``.

    One ``pybamm.Function`` node, not the tree y+ * y+ / (y+ + h): PyBaMM evaluates
    trees without sharing repeated subtrees (shape checks, initial conditions), and the
    nested laws (relu_h of relu_h of relu_h) would be evaluated 3^depth times."""
    return pybamm.Function(_relu_h, y, h, name="function (relu_h)")


def _law():
    """The law's constants (every field of ``ContactLawParameters``) as PyBaMM parameters."""
    return {field: pybamm.Parameter(name) for field, name in ContactLawParameters.names().items()}


def effective_pressure(domain: str, stack_pressure):
    """P_eff(t) = P_stack + binder traction [Pa] of the ``domain`` electrode
    (``binder_mechanics.binder_traction`` at the cell's ambient temperature);
    ``stack_pressure``: the model variable ``"Stack pressure [Pa]"`` (``models.fixture``)."""
    Domain = domain.capitalize()
    P = pybamm.Parameter
    T = P("Ambient temperature [K]")
    return stack_pressure + binder_traction(
        binder_laws.holding_traction(domain),
        pybamm.t,
        relaxation_time_s(P(f"{Domain} electrode binder relaxation time [s]"), T,
                          P(f"{Domain} electrode binder glass transition temperature [K]"),
                          P("Binder WLF constant C1"), P("Binder WLF constant C2 [K]")),
        retained_fraction(P(f"{Domain} electrode binder crosslink density [mol.m-3]"),
                          P(f"{Domain} electrode binder entanglement modulus [Pa]"), T),
        exp=pybamm.exp)


def _floored(x):
    """x smoothly floored at ISOLATED_FLOOR / 2: (x + sqrt(x^2 + h^2)) / 2 (x itself for
    x >> h). For the isolated fraction Z = 1 - eps / eps_0 and the connected one
    eps / eps_0, which start at 0 or reach it (a phase fully isolated: Jo 2024's Si at
    2 MPa) and dip below it by the solver's tolerance, where the rates divided by them
    would change sign or grow without bound."""
    return (x + pybamm.sqrt(x * x + ISOLATED_FLOOR ** 2)) / 2


class ContactLossActiveMaterial(pybamm.active_material.LossActiveMaterial):
    """Loss of active material by contact isolation, with the contact states.

    The active-material volume fraction is x-averaged (PyBaMM's ``x_average=True``) in
    every model, the DFN included: the law is driven by x-averaged quantities, so
    eps_AM(x) would be N_x identical states, each row depending on every size-class
    state (Kwon 2022 DFN: 20 such rows of 17 non-zeros, 19 redundant states).

    Parameters
    ----------
    param, domain, options, phase : as PyBaMM's ``LossActiveMaterial``
    size_classes : int
        Number K of lognormal size classes.
    """

    def __init__(self, param, domain, options, phase, size_classes=DEFAULT_SIZE_CLASSES):
        super().__init__(param, domain, options, True, phase)
        self.size_classes = size_classes
        for mechanism in ("contact law", "force-chain rearrangement", "binder mechanics", "layer decohesion"):
            cite(mechanism)

    def _var_prefix(self):
        return f"{self.domain.capitalize()} electrode {self.phase_name}"

    def _stack(self, variables, quantity):
        """The K size-class states of one quantity as a K-vector."""
        name = self._var_prefix()
        return pybamm.Function(_stack, *(variables[f"{name}size class {k} {quantity}"]
                                         for k in range(self.size_classes)), name="function (stack)")

    def get_fundamental_variables(self):
        variables = super().get_fundamental_variables()
        name = self._var_prefix()
        # The states are in units that make IDA's absolute tolerance (1e-6) meaningful
        # (lengths in 10 nm, the running maximum strain in %), so they need no
        # ``scale``: the law converts inside its SX function (``contact_law_sx``).
        # No domain (size 1 as on the 1D current collector): the size classes are stacked
        # into K-vectors (``_stack``) and PyBaMM checks shapes before discretisation with
        # a dummy current-collector size of 3, which a K-vector would not broadcast with.
        keys = [f"{name}running maximum radial strain [%]", f"{name}mean stoichiometry of connected particles",
                f"{name}{ISOLATED_STO}"]
        keys += [f"{name}size class {k} {q}" for k in range(self.size_classes) for q in SIZE_CLASS_STATES]
        variables.update({key: pybamm.Variable(key) for key in keys})
        variables[f"{name}running maximum radial strain"] = STRAIN_UNIT * variables[keys[0]]
        for k in range(self.size_classes):
            for q, (si, unit) in SIZE_CLASS_SI.items():
                variables[f"{name}size class {k} {si}"] = unit * variables[f"{name}size class {k} {q}"]
        # Aggregates read by kinetics and transport are algebraic variables, so those
        # rows depend on 3 variables, not on every size-class state (sparse Jacobian).
        for key, scale in AGGREGATES.items():
            variables[f"{name}{key}"] = pybamm.Variable(f"{name}{key}", domain="current collector", scale=scale)
        # the reconnected volume rate that every particle state's row reads
        # (``reconnected_lithium``): an algebraic variable, as the aggregates above, so
        # those rows depend on it alone and not on every size-class state through the law
        key = f"{name}{RECONNECTED_VOLUME_RATE}"
        variables[key] = pybamm.Variable(key, scale=RECONNECTED_SCALE_S)
        if self._two_phase():
            # how the current splits between two phases comes from the kinetics, which
            # read the law's contact fraction: an algebraic variable breaks that loop at
            # build time (the SPMe's kinetics are not built before the law otherwise)
            key = f"{name}{STO_RATE}"
            variables[key] = pybamm.Variable(key, domain="current collector", scale=STO_RATE_SCALE_S)
        return variables

    def _two_phase(self):
        return len(self.options.phases[self.domain]) > 1

    def get_coupled_variables(self, variables):
        domain, name, pp = self.domain, self._var_prefix(), self.phase_param
        pre = pp.phase_prefactor
        Domain = domain.capitalize()
        P = pybamm.Parameter
        # Mean stoichiometry of the connected particles as its own state: eps dx/dt =
        # -a j / (F c_max) (isolated particles leave with the mean). Reading it from the
        # particle concentrations instead would couple the law to every particle state
        # and make the Jacobian dense (~6x slower DFN solves).
        sto = variables[f"{name}mean stoichiometry of connected particles"]
        eps_v = lambda x: pybamm.FunctionParameter(  # noqa: E731
            f"{pre}{Domain} electrode volumetric strain", {"Stoichiometry": x})
        s = radial_strain(eps_v, sto, pp.sto_init_av)
        P_eff = effective_pressure(domain, variables["Stack pressure [Pa]"])
        eps0 = pybamm.x_average(pp.epsilon_s)
        K = self.size_classes
        # |ds/dt| of the connected particles: ds/dx (central difference) times dx/dt
        h = 1e-4
        ds_dsto = (radial_strain(eps_v, sto + h, pp.sto_init_av) - radial_strain(eps_v, sto - h, pp.sto_init_av)) / (2 * h)
        # also the mean stoichiometry's rhs (set_rhs)
        self._sto_rate = variables[f"{name}{STO_RATE}"] if self._two_phase() else self._stoichiometry_rate(variables)
        s_rate = ds_dsto * pybamm.yz_average(self._sto_rate)  # no domain, as the law's scalars
        s_rate = relu_h(s_rate, STRAIN_RATE_SMOOTHING) + relu_h(-s_rate, STRAIN_RATE_SMOOTHING)
        primary = phase_names(self.options, domain)[0][0]  # the binder bridges the primary particles
        chi = binder_laws.void_nucleation_factor(domain, primary)
        Gamma = binder_laws.cohesive_fracture_energy(domain, primary)
        inputs = {
            "s": s, "|ds/dt| [s-1]": s_rate, "s_max [%]": variables[f"{name}running maximum radial strain [%]"],
            **{q: self._stack(variables, q) for q in SIZE_CLASS_STATES},
            "P_eff": P_eff, "T": P("Ambient temperature [K]"),
            "chi": chi,
            "R_c": P(f"{pre}{Domain} particle contact radius [m]"),
            "sigma": P(f"{pre}{Domain} particle size log-standard deviation"),
            **_law(), "L": self.domain_param.L, "E_layer": P("Composite layer modulus [Pa]"),
            "Gamma": Gamma,
            "w_G": P("Layer fracture energy scatter"),
            "phi_layer": P(f"{pre}{Domain} electrode swelling particle volume fraction"),  # pristine
        }
        law = pybamm.Function(ContactLawCall(K), *(inputs[q] for q in LAW_INPUTS),
                              name=f"function (contact law, {K} size classes)")
        slices = law_output_slices(K)
        out = {key: pybamm.Index(law, slices[key], check_size=False) for key in SCALAR_OUTPUTS}
        self._rates = {variables[f"{name}running maximum radial strain [%]"]: out["ds_max"]}  # all start at 0
        for q, rate in zip(SIZE_CLASS_STATES, RATE_OUTPUTS):
            for k in range(K):  # one read of the law's output per state
                self._rates[variables[f"{name}size class {k} {q}"]] = pybamm.Index(
                    law, slices[rate].start + k, check_size=False)
        variables.update(self._get_standard_active_material_change_variables(-eps0 * out["isolation rate [s-1]"]))
        # the lithium reconnecting particles bring back (``reconnected_lithium``)
        # no domain, as the law's scalars (PyBaMM's x-averages live on the current collector)
        eps = pybamm.yz_average(
            variables[f"X-averaged {domain} electrode {self.phase_name}active material volume fraction"])
        eps0_s = pybamm.yz_average(eps0)
        rec = out["reconnection rate [s-1]"]
        self._isolation = {"grown": out["isolation rate [s-1]"] + rec, "reconnected": rec, "eps0": eps0_s,
                           "isolated": 1 - eps / eps0_s, "k_v": rec / _floored(eps / eps0_s)}
        self._aggregates = {"contact fraction": out["contact fraction"], "mean gap [m]": out["mean gap [m]"],
                            "void fraction increase": eps0 * out["void per active volume"]}
        variables.update({
            f"{name}radial strain": s,
            f"{name}isolated fraction": out["isolated fraction"],
            f"{name}reconnection rate [s-1]": rec,
            f"{name}{STRANDED_CONCENTRATION}": pp.c_max * variables[f"{name}{ISOLATED_STO}"],
            f"{name}thickness strain": eps0 * ((1 + s) ** 3 - 1) + variables[f"{name}void fraction increase"],
            f"{Domain} electrode effective pressure [Pa]": P_eff,
            f"{Domain} electrode void nucleation factor": chi,
            f"{Domain} electrode cohesive fracture energy [J.m-2]": Gamma,
        })
        return variables

    def _stoichiometry_rate(self, variables):
        """dx/dt of the connected particles [s-1]: eps dx/dt = -a j / (F c_max)."""
        domain = self.domain
        if not self._two_phase():
            # charge conservation: the mean reaction of a one-phase electrode carries the
            # cell current, a j = -/+ i / L (positive / negative): one variable, not the
            # x-average of every kinetics state
            i = variables["Total current density [A.m-2]"]
            aj = (-1 if domain == "positive" else 1) * i / self.domain_param.L
        else:  # two phases: how the current splits between them is in the kinetics
            aj = variables[f"X-averaged {domain} electrode {self.phase_name}volumetric "
                           "interfacial current density [A.m-3]"]
        eps = variables[f"X-averaged {domain} electrode {self.phase_name}active material volume fraction"]
        return -aj / (self.param.F * self.phase_param.c_max * eps)

    def set_algebraic(self, variables):
        name = self._var_prefix()
        k_v = variables[f"{name}{RECONNECTED_VOLUME_RATE}"]
        self.algebraic[k_v] = (k_v - self._isolation["k_v"]) / RECONNECTED_SCALE_S
        for key, expr in self._aggregates.items():
            var = variables[f"{name}{key}"]
            self.algebraic[var] = (var - expr) / AGGREGATES[key]
        if self._two_phase():
            var = variables[f"{name}{STO_RATE}"]
            self.algebraic[var] = (var - self._stoichiometry_rate(variables)) / STO_RATE_SCALE_S

    def set_rhs(self, variables):
        super().set_rhs(variables)
        self.rhs.update(self._rates)
        domain, name, pp = self.domain, self._var_prefix(), self.phase_param
        sto = variables[f"{name}mean stoichiometry of connected particles"]
        x_str = variables[f"{name}{ISOLATED_STO}"]
        # reconnecting particles bring the isolated pool's mean (``reconnected_lithium``)
        k_v = variables[f"{name}{RECONNECTED_VOLUME_RATE}"]
        self.rhs[sto] = self._sto_rate + (x_str - sto) * k_v
        grown, back, Z, eps0 = (self._isolation[k] for k in ("grown", "reconnected", "isolated", "eps0"))
        self.rhs[x_str] = (sto - x_str) * grown / _floored(Z)
        # Li stranded in isolated particles: isolated at the connected particles' mean
        # stoichiometry, returned at the isolated pool's. (PyBaMM integrates their x- and
        # r-averaged concentration, the same number: a row that reads every particle
        # state, which no colouring of the DFN's MX Jacobian can share, ~3x slower.)
        lli = variables[f"Loss of lithium due to loss of {self.phase_name}active material "
                        f"in {domain} electrode [mol]"]
        self.rhs[lli] = self.domain_param.L * self.param.A_cc * pp.c_max * eps0 * (sto * grown - x_str * back)

    def set_initial_conditions(self, variables):
        super().set_initial_conditions(variables)
        name = self._var_prefix()
        self.initial_conditions.update({var: pybamm.Scalar(0) for var in self._rates})
        for key in ("mean stoichiometry of connected particles", ISOLATED_STO):
            self.initial_conditions[variables[f"{name}{key}"]] = self.phase_param.sto_init_av
        self.initial_conditions[variables[f"{name}{RECONNECTED_VOLUME_RATE}"]] = pybamm.Scalar(0)
        for key in AGGREGATES:  # full contact, no void, no gap at fabrication
            self.initial_conditions[variables[f"{name}{key}"]] = pybamm.Scalar(
                1.0 if key == "contact fraction" else 0.0)
        if self._two_phase():  # a guess: IDA makes it consistent with the kinetics
            self.initial_conditions[variables[f"{name}{STO_RATE}"]] = pybamm.Scalar(0.0)
