"""The stack pressure of a cell in its fixture: constant, on a spring, or at fixed gap.

The model option ``"fixture"`` (:data:`ssbsim.models.options.OPTIONS`) decides what
the contact law, the binder traction and the electrode | SE-layer contact read as the
model variable ``"Stack pressure [Pa]"``:

* ``"constant pressure"``: the parameter ``"Stack pressure [Pa]"`` itself (a load frame
  or a pressure-controlled cell); no new equation, the model is as without the option.
* ``"spring"``: the stack pushes against a fixture of stiffness k_f
  (``"Fixture stiffness [N.m-1]"``) in series with its own compliance c_s,
  P = P_0 + Delta L / (A / k_f + c_s). For a spring much softer than the stack
  (A / k_f >> c_s) this is P_0 + k_f Delta L / A.
* ``"rigid"``: fixed displacement (a pouch cell or a pressiometry cell held at a fixed
  gap): P = P_0 + Delta L / c_s, the stack's own compliance per area
  c_s = sum_i L_i / E_i of its layers in series (:func:`stack_compliance`): the
  composite electrodes (``"Composite layer modulus [Pa]"``) and the SE layer
  (``"Solid electrolyte layer modulus [Pa]"``).

A spring or rigid fixture adds the ambient pressure P_amb (``"Ambient pressure on the
stack [Pa]"``) that the cell's packaging transmits: 0 for a cell in a die (its inside
and outside are at the same gas pressure), the atmosphere's 0.101 MPa on a stack sealed
in an evacuated pouch, which the laminate presses onto it wherever the fixture lets go.
At constant pressure the set pressure is the stack's, whatever the packaging.

P_0 is the parameter ``"Stack pressure [Pa]"``: the pressure set at assembly, when the
stack has its fabricated thickness, and the initial value of the variable. A protocol
entry at another pressure re-tightens the fixture: the stack feels that pressure (plus
P_amb) at the entry's start, so its P_0 is the entry's pressure less what the thickness
change so far adds, ``"Stack pressure from thickness change [Pa]"``
(``simulator.cell_state.retightened``). Delta L is the stack's stress-free thickness
change since fabrication: each composite electrode's L_e x (its phases' thickness
strain), ``models.operando``, gaps opened beside shrinking particles included. A half
cell's Li or Li-In counter electrode adds V_c q / F, q the charge it received per area,
V_c = ``"Counter electrode thickness change per Li in fixture [m3.mol-1]"``, 0 by
default: its thickness change is then treated as zero (``parameter_sets.mechanics``
says why), and it counts as rigid in c_s (no modulus of a counter that creeps at the
stack pressure). The moduli and their sources: ``parameter_sets.mechanics``
(the composite layer 1 GPa, the SE layer 18.5 GPa).

The stack separates from the fixture instead of pulling: the pressure is
P_amb + max(P_free, 0), the max blended
C1-smoothly between 0 and :data:`SEPARATION_SMOOTHING_PA` (:func:`floor_at_zero`; exact
at and below 0 and above the blend), and the contact law takes P = 0 as a stack
without load.

With ``"spring"`` or ``"rigid"`` the pressure is one algebraic variable (P - P(Delta L)
= 0, scaled by :data:`PRESSURE_SCALE_PA`): the laws read that variable, not the
expression, so each law's row depends on one more variable and no stiff state is added.
"""

import numpy as np
import pybamm

from .operando import composite_thickness_change, counter_electrode_charge

#: Scale of the algebraic pressure variable (IDA's absolute tolerance 1e-6 -> 1 Pa).
PRESSURE_SCALE_PA = 1e6
#: The parameter of the pressure the packaging adds to a spring or rigid fixture's
#: (module docstring).
AMBIENT_PRESSURE = "Ambient pressure on the stack [Pa]"
#: Delta L / (c_s + A / k_f) [Pa], a spring or rigid fixture's variable: the pressure the
#: thickness change since assembly adds to the set pressure P_0 (before the floor at 0)
THICKNESS_PRESSURE = "Stack pressure from thickness change [Pa]"
#: Width of the C1 blend of max(P, 0) at separation: the floor is exact above it.
SEPARATION_SMOOTHING_PA = 1e3


def floor_at_zero(y, h):
    """max(y, 0), C1-smooth: 0 for y <= 0, y^2 (2h - y) / h^2 on (0, h), y for y >= h
    (value and slope match at 0 and h; never above y, never below 0). NumPy values or
    PyBaMM symbols."""
    if isinstance(y, pybamm.Symbol):
        z = pybamm.minimum(pybamm.maximum(y, 0), h)
        return z * z * (2 * h - z) / (h * h) + pybamm.maximum(y - h, 0)
    z = np.clip(y, 0.0, h)
    return z * z * (2 * h - z) / (h * h) + np.maximum(y - h, 0.0)


def stack_compliance(composite_domains):
    """c_s = sum_i L_i / E_i [m.Pa-1] of the composite electrodes and the SE layer."""
    P = pybamm.Parameter
    c = P("Separator thickness [m]") / P("Solid electrolyte layer modulus [Pa]")
    for domain in composite_domains:
        c = c + P(f"{domain.capitalize()} electrode thickness [m]") / P("Composite layer modulus [Pa]")
    return c


def fixture_compliance(fixture: str, composite_domains):
    """The compliance per area [m.Pa-1] that turns the stack's thickness change into
    pressure: c_s (:func:`stack_compliance`), plus A / k_f in a spring fixture."""
    compliance = stack_compliance(composite_domains)
    if fixture == "spring":
        P = pybamm.Parameter
        compliance = compliance + P("Electrode height [m]") * P("Electrode width [m]") / P("Fixture stiffness [N.m-1]")
    return compliance


class StackFixture(pybamm.BaseSubModel):
    """The variable ``"Stack pressure [Pa]"`` for the fixture option.

    Parameters
    ----------
    param, options : as PyBaMM's submodels
    fixture : {"constant pressure", "spring", "rigid"}
    composite_domains : tuple of str
        Electrodes with contact mechanics (their thickness strain moves the stack).
    half_cell : bool
        A Li / Li-In counter electrode closes the stack.
    """

    def __init__(self, param, options, fixture, composite_domains, half_cell):
        super().__init__(param, options=options)
        self.fixture = fixture
        self.composite_domains = tuple(composite_domains)
        self.half_cell = half_cell

    def get_fundamental_variables(self):
        P0 = pybamm.Parameter("Stack pressure [Pa]")
        if self.fixture == "constant pressure":
            return {"Stack pressure [Pa]": P0}
        # no domain, as the contact law's other inputs (``contact_mechanics``: PyBaMM's
        # shape check before discretisation would not broadcast a current-collector one)
        return {"Stack pressure [Pa]": pybamm.Variable("Stack pressure [Pa]", scale=PRESSURE_SCALE_PA)}

    def get_coupled_variables(self, variables):
        if self.fixture == "constant pressure":
            return variables
        P = pybamm.Parameter
        dL = sum(composite_thickness_change(variables, self.options, d) for d in self.composite_domains)
        if self.half_cell:
            dL = dL + P("Counter electrode thickness change per Li in fixture [m3.mol-1]") * \
                counter_electrode_charge(variables) / self.param.F
        # Delta L / (c_s + A / k_f): what the stack's thickness change since assembly adds to P_0
        variables[THICKNESS_PRESSURE] = pybamm.yz_average(dL) / fixture_compliance(self.fixture,
                                                                                  self.composite_domains)
        return variables

    def set_algebraic(self, variables):
        if self.fixture == "constant pressure":
            return
        P = pybamm.Parameter
        free = P("Stack pressure [Pa]") + variables[THICKNESS_PRESSURE]
        var = variables["Stack pressure [Pa]"]
        self.algebraic[var] = (var - P(AMBIENT_PRESSURE) - floor_at_zero(free, SEPARATION_SMOOTHING_PA)) \
            / PRESSURE_SCALE_PA

    def set_initial_conditions(self, variables):
        if self.fixture != "constant pressure":
            P = pybamm.Parameter
            self.initial_conditions[variables["Stack pressure [Pa]"]] = P("Stack pressure [Pa]") + P(AMBIENT_PRESSURE)
