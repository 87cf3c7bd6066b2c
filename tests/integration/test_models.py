"""Well-posedness of every option combination, and the binder-free / dry limits."""

import itertools

import numpy as np
import pybamm
import pytest

from ssbsim.models import binder_laws, composite_cell_model
from ssbsim.models.options import check_option
from ssbsim.simulator.presets import PRESETS
from ssbsim.simulator.simulation import parameter_values, resolve_conditions

# (cell, positive phases, negative phases) -> a preset that has that cell
CELLS = {
    ("half", 1, 1): "kwon2022",
    ("half", 2, 1): "jo2024-anode",
    ("full", 1, 1): "kwon2022-pouch",
    ("full", 1, 2): "jo2024-full",
}


@pytest.mark.parametrize("model, cell", itertools.product(["DFN", "SPMe", "SPM"], CELLS),
                         ids=lambda x: str(x))
def test_every_option_combination_is_well_posed_and_solves(model, cell):
    kind, n_pos, n_neg = cell
    m = composite_cell_model(model, kind, n_pos, n_neg)
    m.check_well_posedness()
    pv = parameter_values(resolve_conditions(CELLS[cell], model=model))
    # pristine cells are discharged: charge them (PyBaMM: I < 0), or lithiate an anode
    # half cell (a cell discharge, I > 0)
    sign = 1 if PRESETS[CELLS[cell]].working == "anode" else -1
    pv["Current function [A]"] = sign * 0.1 * pv["Nominal cell capacity [A.h]"]
    sol = pybamm.Simulation(m, parameter_values=pv, solver=pybamm.IDAKLUSolver()).solve([0, 600])
    assert sol.t[-1] == pytest.approx(600)
    V = sol["Voltage [V]"].entries
    assert np.all(np.isfinite(V))
    assert sol["Voltage vs counter electrode [V]"].entries[0] == pytest.approx(
        V[0] - pv["Counter electrode potential vs Li/Li+ [V]"])


@pytest.mark.parametrize("model, cell", itertools.product(["DFN", "SPMe", "SPM"], CELLS),
                         ids=lambda x: str(x))
def test_every_option_combination_with_mechanics_builds(model, cell):
    """With contact mechanics too: a two-phase electrode's law reads the phase's share of
    the current, which the SPMe's kinetics build from the law's contact fraction (that
    loop failed to build before it went through an algebraic variable)."""
    composite_cell_model(model, *cell, mechanics=True).check_well_posedness()


def test_spme_of_a_two_phase_anode_with_mechanics_agrees_with_the_dfn(simulate_cached):
    """Jo 2024's Si-graphite half cell: the SPMe's first delithiation deviates from the
    DFN's by what presets.REDUCED_MODEL_DEVIATION records (and warns users of), within
    0.5 points, and by less than 5 %."""
    from ssbsim.simulator.presets import REDUCED_MODEL_DEVIATION

    dfn = simulate_cached("jo2024-anode", model="DFN").delithiation_capacity_mAh_g
    spme = simulate_cached("jo2024-anode", model="SPMe").delithiation_capacity_mAh_g
    assert spme / dfn - 1 == pytest.approx(REDUCED_MODEL_DEVIATION["jo2024-anode"]["SPMe"], abs=0.005)
    assert abs(spme / dfn - 1) < 0.05


def test_option_typo_suggests_nearest():
    with pytest.raises(ValueError, match=r"model='DNF' is not one of DFN, SPMe, SPM \(did you mean 'DFN'\?\)"):
        check_option("model", "DNF")


@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_model_options_name_the_mechanisms_that_run(cell):
    """ssbsim's own option names the contact law and PyBaMM's loss-of-active-material
    option the isolation that removes active material, in every porous electrode and
    phase; without mechanics both say none and PyBaMM's constant active material runs."""
    kind, n_pos, n_neg = cell
    on, off = (composite_cell_model("SPM", kind, n_pos, n_neg, mechanics=m) for m in (True, False))
    assert on.options["contact mechanics"] == "lognormal size classes"
    assert off.options["contact mechanics"] == "none" and off.options["loss of active material"] == "none"
    for domain, n in (("positive", n_pos), ("negative", n_neg)):
        if kind == "half" and domain == "negative":
            assert on.options.negative["loss of active material"] == "none"  # the Li counter electrode
            continue
        for phase in ("primary", "secondary")[:n]:
            assert getattr(on.options, domain)["loss of active material"] == (
                "contact isolation" if n == 1 else ("contact isolation",) * 2)
            assert type(on.submodels[f"{domain} {phase} active material"]).__name__ == "ContactLossActiveMaterial"
            assert type(off.submodels[f"{domain} {phase} active material"]).__name__ == "Constant"


def test_mechanism_options_are_validated_with_a_hint():
    with pytest.raises(ValueError, match=r"contact mechanics='lognormal size class' is not one of none, lognormal size "
                                         r"classes \(did you mean 'lognormal size classes'\?\)"):
        composite_cell_model("SPM", extra_options={"contact mechanics": "lognormal size class"})
    with pytest.raises(ValueError, match="set by its 'contact mechanics' option"):
        composite_cell_model("SPM", extra_options={"loss of active material": "reaction-driven"})
    with pytest.raises(ValueError, match=r"process='wett' is not one of wet, dry, none \(did you mean 'wet'"):
        check_option("process", "wett")


def test_utilisation_is_uncovered_times_contact():
    m = composite_cell_model("SPM", "half")
    pv = parameter_values(resolve_conditions("jo2024-cathode", binder_content=2.5))
    pv.update({"Positive electrode contact fraction": 0.7})
    sol = pybamm.Simulation(m, parameter_values=pv).solve([0, 10])
    u = sol["X-averaged positive electrode interface utilisation"].entries[0]
    theta = binder_laws.electrode_values(pv, "positive")["binder coverage"]
    assert theta > 0.3 and u == pytest.approx((1 - theta) * 0.7)


@pytest.mark.parametrize("process", ["none", "dry"])
def test_binder_free_and_dry_reduce_to_uncovered_pybamm_model(process):
    """With theta = 0 the composite model is PyBaMM's own DFN with full utilisation, the
    binder-blocked tortuosity factor tau / f and its constant-concentration electrolyte
    (exact for the SE's t+ = 1)."""
    cond = resolve_conditions("emley2023", process=process, model="DFN")
    pv = parameter_values(cond)
    laws = binder_laws.electrode_values(pv, "positive")
    assert laws["binder coverage"] == 0.0
    pv["Current function [A]"] = 0.2 * pv["Nominal cell capacity [A.h]"]
    pv["Initial concentration in positive electrode [mol.m-3]"] = 0.4 * pv[
        "Maximum concentration in positive electrode [mol.m-3]"]
    ours = composite_cell_model("DFN", "half")
    plain = pybamm.lithium_ion.DFN({"working electrode": "positive", "transport efficiency": "tortuosity factor"},
                                   build=False)
    plain.submodels["electrolyte diffusion"] = pybamm.electrolyte_diffusion.ConstantConcentration(
        plain.param, plain.options)
    plain.build_model()
    tau = "Positive electrode tortuosity factor (electrolyte)"
    pv_plain = pv.copy()
    pv_plain[tau] = pv[tau] / laws["neck blocking factor"]
    sols = [pybamm.Simulation(m, parameter_values=p, solver=pybamm.IDAKLUSolver()).solve(
        [0, 3600], t_interp=np.linspace(0, 3600, 50)) for m, p in ((ours, pv), (plain, pv_plain))]
    np.testing.assert_allclose(sols[0]["Voltage [V]"].entries, sols[1]["Voltage [V]"].entries, rtol=1e-6)


def test_wet_binder_lowers_capacity_at_rate():
    """More wet binder -> less active area and blocked SE necks -> less capacity at 0.2C."""
    caps = []
    for w in (0.5, 2.5):
        pv = parameter_values(resolve_conditions("jo2024-cathode", binder_content=w))
        pv["Current function [A]"] = 0.2 * pv["Nominal cell capacity [A.h]"]
        pv["Initial concentration in positive electrode [mol.m-3]"] = 0.3 * pv[
            "Maximum concentration in positive electrode [mol.m-3]"]
        sol = pybamm.Simulation(composite_cell_model("SPMe", "half"), parameter_values=pv,
                                solver=pybamm.IDAKLUSolver()).solve([0, 30000])
        assert "Minimum voltage" in sol.termination  # discharged to the cut-off
        caps.append(sol["Discharge capacity [A.h]"].entries[-1])
    assert caps[1] < caps[0]


def test_scalar_jacobian_equals_casadi_mx_jacobian():
    """The SX Jacobian the SPM / SPMe solvers get is the MX AD Jacobian (same matrix, to
    rounding), with inputs and t left symbolic; non-square (separate rhs / algebraic)
    Jacobians and models above the size limit fall back to MX AD."""
    import casadi
    import numpy as np

    from ssbsim.models.composite_cell import SCALAR_JACOBIAN_MAX_STATES, scalar_jacobian
    from ssbsim.models.contact_law_sx import _relu_h

    yd, ya, t, p = (casadi.MX.sym(n, k) for n, k in (("yd", 3), ("ya", 1), ("t", 1), ("p", 2)))
    y = casadi.vertcat(yd, ya)
    res = casadi.vertcat(yd[0] * yd[1] + p[0] * casadi.exp(-t),
                         _relu_h(yd[2] - ya, 1e-3) * p[1],
                         casadi.sin(yd[0]) / (1 + ya ** 2),
                         ya - casadi.sqrt(yd[1] ** 2 + 1))
    args = [yd, ya, t, p]
    f_sx = casadi.Function("j", args, [scalar_jacobian(res, y)])
    f_mx = casadi.Function("j", args, [casadi.jacobian(res, y)])
    rng = np.random.default_rng(1)
    for _ in range(5):
        vals = [rng.normal(size=a.shape) for a in args]
        np.testing.assert_allclose(f_sx(*vals).full(), f_mx(*vals).full(), rtol=1e-13, atol=1e-13)
    assert "jacobian_sx" in str(scalar_jacobian(res, y))  # the SX path was taken
    rhs_only = res[:3]  # 3 x 4: not the full residual
    big = casadi.MX.sym("big", SCALAR_JACOBIAN_MAX_STATES + 1)
    for expr, wrt in ((rhs_only, y), (casadi.sin(big), big)):
        assert "jacobian_sx" not in str(scalar_jacobian(expr, wrt))


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_has_a_single_ion_conductor(preset):
    """The models hold the SE's Li+ concentration uniform (``composite_cell``), which is
    exact only for a cation transference number of 1."""
    assert parameter_values(resolve_conditions(preset))["Cation transference number"] == 1.0
