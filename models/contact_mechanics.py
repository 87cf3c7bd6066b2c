"""Contact loss of a composite electrode as a PyBaMM active-material submodel.

The particle contact law of :mod:`ssbsim.models.contact_law` (equations there) is
integrated for K lognormal size classes of each particle phase, driven by the
x-averaged stoichiometry of the phase's connected particles and the effective pressure

    P_eff = P_stack + P_b0 [r + (1 - r) exp(-t / tau_b)]      (binder traction)

Isolated particles are lost active material: eps_AM = eps_AM0 (1 - f_iso), so their
lithium is stranded (PyBaMM's loss-of-active-material accounting). The contact fraction
of the connected surface multiplies the kinetics through :class:`BinderCoveredContact`.

States per phase (scalars without a domain, one value per cell as on PyBaMM's 1D
current collector): the mean stoichiometry of the connected particles
(eps dx/dt = -a j / (F c_max)), the running maximum radial strain s_max and, per size
class k, closure c_k [m], damage opening d_k [m], void v_k [m], isolated fraction
z_k [-]. Size classes: R_k = R_c exp(sigma xi_k), probabilists' Gauss-Hermite nodes xi_k
with number weights w_k (Hermite-Gauss quadrature of the lognormal).

Cost: the law is written on K-vectors (the K scalar states of a quantity stacked), so
each operation is one node of the expression tree and of the CasADi graph, not K; and
relu_h is one node, which PyBaMM's unshared tree evaluation (shape checks) needs. Versus
K scalar copies of the law (Kwon 2022 half cell, 5 classes): CasADi residual 589 -> 324
instructions (SPM), DFN build + first solve 1.66 -> 1.25 s (0.83 s without mechanics),
warm solves 10-16 % faster. The Jacobian is not smaller: CasADi's MX Jacobian sweeps the
whole vector graph once per colour (~21), as it swept one class's copy per colour before
(the SPM / SPMe get an SX Jacobian instead: ``composite_cell.scalar_jacobian``).
Aggregates (contact fraction, void, mean gap) stay algebraic variables: inlined, they
make SPM solves ~13 % faster but the DFN's ~15 % slower (every kinetics row then depends
on every size-class state).

Parameters (``<pre>`` is the phase prefix, e.g. ``"Secondary: "``):
``<pre><Domain> electrode volumetric strain`` (function of stoichiometry),
``<pre><Domain> particle contact radius [m]``, ``<pre><Domain> particle size
log-standard deviation``, ``<Domain> electrode binder holding traction [Pa]``,
``<Domain> electrode binder retained traction fraction``, ``<Domain> electrode binder
relaxation time [s]``, ``<Domain> electrode void nucleation factor``,
``Stack pressure [Pa]`` and the SE / composite constants named in ``_law``.
"""

from __future__ import annotations

import casadi
import numpy as np
import pybamm

from .layer_decohesion import decohered_fraction, energy_release_rate
from .strain import radial_strain

DEFAULT_SIZE_CLASSES = 5
LENGTH_SCALE_M = 1e-8  # scale of the contact-state lengths for the solver
#: Algebraic aggregates of each phase and their scales.
AGGREGATES = {"contact fraction": 1.0, "void fraction increase": 1e-2, "mean gap [m]": LENGTH_SCALE_M}
#: States of each size class and their scales.
SIZE_CLASS_STATES = {"closure [m]": LENGTH_SCALE_M, "damage opening [m]": LENGTH_SCALE_M,
                     "void [m]": LENGTH_SCALE_M, "isolated fraction": 1.0}
_CASADI_TYPES = (casadi.MX, casadi.SX, casadi.DM)
_MX_ZERO = casadi.MX(0)  # one constant node, shared by every relu_h of a graph


def lognormal_classes(n: int):
    """Nodes xi_k and normalised weights w_k of an n-point Hermite-Gauss quadrature."""
    xi, w = np.polynomial.hermite_e.hermegauss(n)
    return xi, w / w.sum()


def _relu_h(y, h):
    """y+^2 / (y+ + h) on NumPy values or CasADi symbols (the node's function)."""
    symbolic = isinstance(y, _CASADI_TYPES) or isinstance(h, _CASADI_TYPES)
    zero = _MX_ZERO if isinstance(y, casadi.MX) else 0  # SX or DM: a plain 0
    yp = casadi.fmax(y, zero) if symbolic else np.maximum(y, 0)
    return yp * yp / (yp + h)


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
    """Shared SE / composite constants of the contact law as PyBaMM parameters."""
    P = pybamm.Parameter
    return {
        "v0": P("Solid electrolyte creep velocity at 1 MPa [m.s-1]"),
        "n": P("Solid electrolyte creep stress exponent"),
        "E_f": P("Composite framework modulus [Pa]"),
        "lam": P("Active material surface roughness [m]"),
        "phi_c": P("Contact percolation threshold"),
        "r_iso": P("Contact isolation rate [s-1]"),
        "kappa": P("Void nucleation coefficient"),
        "k_y": pybamm.Scalar(1e-2),
        "k_max": pybamm.Scalar(1e-1),
        "g_s": pybamm.Scalar(1e-10),
        "h": pybamm.Scalar(1e-11),
        "w_phi": P("Contact percolation threshold width"),
    }


def effective_pressure(domain: str):
    """P_eff(t) = P_stack + binder traction [Pa] of the ``domain`` electrode."""
    Domain = domain.capitalize()
    P = pybamm.Parameter
    r = P(f"{Domain} electrode binder retained traction fraction")
    tau = P(f"{Domain} electrode binder relaxation time [s]")
    relax = r + (1 - r) * pybamm.exp(-pybamm.t / tau)
    return P("Stack pressure [Pa]") + P(f"{Domain} electrode binder holding traction [Pa]") * relax


class ContactLossActiveMaterial(pybamm.active_material.LossActiveMaterial):
    """Loss of active material by contact isolation, with the contact states.

    Parameters
    ----------
    param, domain, options, x_average, phase : as PyBaMM's ``LossActiveMaterial``
    size_classes : int
        Number K of lognormal size classes.
    """

    def __init__(self, param, domain, options, x_average, phase, size_classes=DEFAULT_SIZE_CLASSES):
        super().__init__(param, domain, options, x_average, phase)
        self.size_classes = size_classes

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
        # Scales make IDA's absolute tolerance (1e-6 on scaled states) meaningful: the
        # lengths are ~10 nm, the strains ~1e-2.
        states = {f"{name}running maximum radial strain": 1e-2,
                  f"{name}mean stoichiometry of connected particles": 1.0}
        for k in range(self.size_classes):
            for q, scale in SIZE_CLASS_STATES.items():
                states[f"{name}size class {k} {q}"] = scale
        # No domain (size 1 as on the 1D current collector): the size classes are stacked
        # into K-vectors (``_stack``) and PyBaMM checks shapes before discretisation with
        # a dummy current-collector size of 3, which a K-vector would not broadcast with.
        for key, scale in states.items():
            variables[key] = pybamm.Variable(key, scale=scale)
        # Aggregates read by kinetics and transport are algebraic variables, so those
        # rows depend on 3 variables, not on every size-class state (sparse Jacobian).
        for key, scale in AGGREGATES.items():
            variables[f"{name}{key}"] = pybamm.Variable(f"{name}{key}", domain="current collector", scale=scale)
        return variables

    def get_coupled_variables(self, variables):
        domain, name, pp = self.domain, self._var_prefix(), self.phase_param
        pre = pp.phase_prefactor
        Domain = domain.capitalize()
        law = _law()
        # Mean stoichiometry of the connected particles as its own state: eps dx/dt =
        # -a j / (F c_max) (isolated particles leave with the mean). Reading it from the
        # particle concentrations instead would couple the law to every particle state
        # and make the Jacobian dense (~6x slower DFN solves).
        sto = variables[f"{name}mean stoichiometry of connected particles"]
        sto0 = pp.sto_init_av
        eps_v = lambda x: pybamm.FunctionParameter(  # noqa: E731
            f"{pre}{Domain} electrode volumetric strain", {"Stoichiometry": x})
        s = radial_strain(eps_v, sto, sto0)
        s_max = variables[f"{name}running maximum radial strain"]
        P_eff = effective_pressure(domain)
        chi = pybamm.Parameter(f"{Domain} electrode void nucleation factor")
        R_c = pybamm.Parameter(f"{pre}{Domain} particle contact radius [m]")
        sigma = pybamm.Parameter(f"{pre}{Domain} particle size log-standard deviation")
        v_cr = law["v0"] * (P_eff / 1e6) ** law["n"]
        h, g_s, k_y = law["h"], law["g_s"], law["k_y"]
        expand = relu_h(s - s_max, 1e-9)
        # The K size classes as K-vectors: one node per operation, not K (the CasADi
        # residual and its Jacobian shrink accordingly). R, weights: constant K-vectors.
        K = self.size_classes
        xi, w = lognormal_classes(K)
        R = R_c * pybamm.exp(sigma * pybamm.Vector(xi))
        wV, wA = pybamm.Vector(w) * R**3, pybamm.Vector(w) * R**2
        total = pybamm.Matrix(np.ones((1, K)))  # row sum: total @ x = sum_k x_k
        wV, wA = wV / (total @ wV), wA / (total @ wA)  # normalised volume, area weights
        c, d, v, z = (self._stack(variables, q) for q in SIZE_CLASS_STATES)
        y = R * (s_max - s) - c  # e_k - c_k; c_k - e_k = -y exactly
        open_gap, over, d_pos = relu_h(y, h), relu_h(-y, h), relu_h(d, h)
        g = open_gap + d_pos
        creep = v_cr / (g + g_s)  # closure / healing rate per unit gap [s-1]
        dv = law["kappa"] * chi * (k_y * over + R * (law["k_max"] * expand))
        phi = pybamm.exp(relu_h(g - R * (P_eff / law["E_f"]), h) * (-1 / law["lam"]))
        # logistic 1 / (1 + exp(-(phi_c - phi) / w)) = (1 + tanh((phi_c - phi) / 2w)) / 2
        below = pybamm.sigmoid(phi, law["phi_c"], 1 / (2 * law["w_phi"]))
        # the layer cracks through a swelling phase's network (``layer_decohesion``)
        G = energy_release_rate(relu_h(s, 1e-9), P_eff, law["E_f"], self.domain_param.L)
        zeta = decohered_fraction(
            relu_h(G, 1e-9), pybamm.Parameter(f"{Domain} electrode cohesive fracture energy [J.m-2]"),
            pybamm.Parameter("Layer fracture energy scatter"))
        dz = law["r_iso"] * relu_h(below + zeta * (1 - below) - z, 1e-6)
        self._rates = {s_max: law["k_max"] * expand}  # state -> d/dt, all start at 0
        rates = (creep * open_gap - k_y * over, dv - creep * d_pos, dv, dz)  # c, d, v, z
        for q, rate in zip(SIZE_CLASS_STATES, rates):
            for k in range(K):
                self._rates[variables[f"{name}size class {k} {q}"]] = pybamm.Index(rate, k, check_size=False)
        connected = wA * (1 - z)
        f_iso, dfiso = total @ (wV * z), total @ (wV * dz)
        void = total @ ((3 * wV / R) * (g + v))
        # 1 - lost / connected area: exactly 1 at full contact (phi = 1), however PyBaMM
        # rearranges the weighted sums
        conn_area, lost_area, gap_area = total @ connected, total @ (connected * (1 - phi)), total @ (wA * g)
        eps0 = pybamm.x_average(pp.epsilon_s)
        variables.update(self._get_standard_active_material_change_variables(-eps0 * dfiso))
        self._aggregates = {
            "contact fraction": 1 - lost_area / conn_area,
            "void fraction increase": eps0 * void,
            "mean gap [m]": gap_area,
        }
        variables.update({
            f"{name}radial strain": s,
            f"{name}isolated fraction": f_iso,
            f"{name}thickness strain": eps0 * ((1 + s) ** 3 - 1) + variables[f"{name}void fraction increase"],
            f"{Domain} electrode effective pressure [Pa]": P_eff,
        })
        return variables

    def set_algebraic(self, variables):
        name = self._var_prefix()
        for key, expr in self._aggregates.items():
            var = variables[f"{name}{key}"]
            self.algebraic[var] = (var - expr) / AGGREGATES[key]

    def set_rhs(self, variables):
        super().set_rhs(variables)
        self.rhs.update(self._rates)
        # the interfacial current depends on the contact fraction (kinetics), so its
        # effect on the mean stoichiometry is set here, not in get_coupled_variables
        domain, name, pp = self.domain, self._var_prefix(), self.phase_param
        if len(self.options.phases[domain]) == 1:
            # charge conservation: the mean reaction of a one-phase electrode carries the
            # cell current, a j = -/+ i / L (positive / negative): one variable, not the
            # x-average of every kinetics state
            i = variables["Total current density [A.m-2]"]
            aj = (-1 if domain == "positive" else 1) * i / self.domain_param.L
        else:  # two phases: how the current splits between them is in the kinetics
            aj = variables[f"X-averaged {domain} electrode {self.phase_name}volumetric "
                           "interfacial current density [A.m-3]"]
        eps = variables[f"X-averaged {domain} electrode {self.phase_name}active material volume fraction"]
        sto = variables[f"{name}mean stoichiometry of connected particles"]
        self.rhs[sto] = -aj / (self.param.F * pp.c_max * eps)
        # Li stranded in isolated particles: PyBaMM integrates c_rav deps/dt over every
        # particle state; the connected particles' mean is the same number, cheaply.
        lli = variables[f"Loss of lithium due to loss of {self.phase_name}active material "
                        f"in {domain} electrode [mol]"]
        deps = variables[f"X-averaged {domain} electrode {self.phase_name}active material "
                         "volume fraction change [s-1]"]
        self.rhs[lli] = -self.domain_param.L * self.param.A_cc * sto * pp.c_max * deps

    def set_initial_conditions(self, variables):
        super().set_initial_conditions(variables)
        name = self._var_prefix()
        self.initial_conditions.update({var: pybamm.Scalar(0) for var in self._rates})
        self.initial_conditions[variables[f"{name}mean stoichiometry of connected particles"]] = (
            self.phase_param.sto_init_av)
        for key in AGGREGATES:  # full contact, no void, no gap at fabrication
            self.initial_conditions[variables[f"{name}{key}"]] = pybamm.Scalar(
                1.0 if key == "contact fraction" else 0.0)
