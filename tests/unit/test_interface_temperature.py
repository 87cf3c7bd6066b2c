"""Temperature dependence of the cell's interfaces (issue 15: SE, interfaces, creep and
binder all follow temperature)."""

import math

import numpy as np
import pybamm
import pytest

from ssbsim.parameter_sets import components, materials
from ssbsim.simulator.simulation import CellRunner, parameter_values, resolve_conditions

R = pybamm.constants.R.value


def _value(pv, name, *args):
    return pv.evaluate(pv[name](*[pybamm.Scalar(a) for a in args]))


def test_counter_electrode_exchange_current_follows_the_se_arrhenius_energy():
    """j0(T) = j0_ref (c_e/1000)^0.5 exp(E_a/R (1/T_ref - 1/T)) with the SE's conduction
    energy: j0_ref at the reference temperature, larger in a warmer cell, by the law."""
    pv = parameter_values(resolve_conditions("choi2025"))  # Li | Li6PS5Cl at 60 C
    name = "Exchange-current density for lithium metal electrode [A.m-2]"
    T_ref = components.COUNTER_REFERENCE_TEMPERATURE_K
    Ea = materials.LPSCL.activation_energy_J_mol
    assert pv["Counter electrode exchange-current activation energy [J.mol-1]"] == Ea
    j_ref = _value(pv, name, 1000.0, 0.0, T_ref)
    j_60 = _value(pv, name, 1000.0, 0.0, 333.15)
    assert j_ref == pytest.approx(components.COUNTER_EXCHANGE_CURRENT_A_M2, rel=1e-12)
    assert j_60 / j_ref == pytest.approx(math.exp(Ea / R * (1 / T_ref - 1 / 333.15)), rel=1e-12)
    assert j_60 > 3 * j_ref


@pytest.mark.parametrize("preset", ["kwon2022", "choi2025"])
def test_interface_resistance_scales_as_one_over_the_se_conductivity(preset):
    """The electrode | SE-layer contact spots are SE | SE constrictions (Holm): their
    resistance, L / (sigma B_sep) - L / (sigma B_0), falls as the SE's conductivity rises
    with temperature, so the separator's transport efficiency B_sep does not change."""
    model = CellRunner(resolve_conditions(preset, model="SPM")).model  # the preset's own model
    out = {}
    for T in (303.15, 333.15):
        pv = parameter_values(resolve_conditions(preset))
        pv.update({"Ambient temperature [K]": T, "Initial temperature [K]": T, "Current function [A]": 0.0})
        sol = pybamm.Simulation(model, parameter_values=pv).solve([0.0, 1.0])  # at rest
        b_sep = float(np.mean(sol["Separator electrolyte transport efficiency"].entries[..., 0]))
        sigma = pv.evaluate(pv["Electrolyte conductivity [S.m-1]"](pybamm.Scalar(1000.0), pybamm.Scalar(T)))
        b0 = pv["Separator porosity"] / pv["Separator tortuosity factor (electrolyte)"]
        L = pv["Separator thickness [m]"]
        out[T] = (b_sep, L / (sigma * b_sep) - L / (sigma * b0), sigma)
    (b30, r30, s30), (b60, r60, s60) = out[303.15], out[333.15]
    assert b60 == pytest.approx(b30, rel=1e-12)
    assert r30 > 0 and r60 / r30 == pytest.approx(s30 / s60, rel=1e-9)
    pv = parameter_values(resolve_conditions(preset))
    assert r30 == pytest.approx(pv["Electrode|SE interface resistance [Ohm.m2]"], rel=1e-6)  # full contact at rest
