"""Binder coverage and neck blocking against Jo 2024 and Emley 2023."""

import math

import numpy as np
import pytest
from conftest import calibration_rows

from ssbsim.models import binder_coverage as bc
from ssbsim.models import binder_laws
from ssbsim.parameter_sets import emley2023
from ssbsim.simulator.simulation import parameter_values, resolve_conditions


@pytest.mark.parametrize("row", calibration_rows("Jo2024", "relative_active_area"),
                         ids=lambda r: f"{r['binder_wt_pct']}wt%")
def test_relative_active_area_follows_jo2024(row):
    w = float(row["binder_wt_pct"])
    assert bc.relative_active_area(w, "wet") == pytest.approx(float(row["value"]), abs=0.03)


def _emley_conductivity(process, w):
    se = emley2023.CATHODE.se.conductivity_S_m_at_30C
    recipe = emley2023.CATHODE.with_binder(w, process, emley2023.BINDER_BY_PROCESS[process])
    return recipe.ionic_conductivity(se) / 100.0  # S/cm


# The solvent-soaked-SE row is a different (degraded) SE, not a binder effect.
EMLEY_IONIC = [r for r in calibration_rows("Emley2023", "ionic_conductivity")
               if "solvent-treated" not in r["binder"]]


@pytest.mark.parametrize("row", EMLEY_IONIC, ids=lambda r: r["binder"])
def test_composite_ionic_conductivity_follows_emley2023(row):
    process = row["process"] if row["process"] != "binder-free" else "none"
    w = float(row["binder_wt_pct"] or 0)
    ratio = _emley_conductivity(process, w) / float(row["value"])
    assert 1 / 1.3 <= ratio <= 1.3, f"model/measured = {ratio:.2f}"


def test_electronic_conductivity_wet_dry_ratio_emley2023():
    rows = {r["process"]: float(r["value"]) for r in calibration_rows("Emley2023", "electronic_conductivity")}
    for process, measured in rows.items():
        model = emley2023.CATHODE.with_binder(0.5, process).electronic_conductivity() / 100
        assert 1 / 1.5 <= model / measured <= 1.5, (process, model, measured)
    # electrons stay ~1000x above ions (Emley 2023): at least 100x in the model
    assert emley2023.CATHODE.electronic_conductivity() > 100 * emley2023.CATHODE.ionic_conductivity(0.3)


def test_coverage_monotone_and_bounded():
    w = np.linspace(0, 10, 101)
    theta = np.array([bc.active_area_coverage(x, "wet") for x in w])
    f = np.array([bc.neck_blocking_factor(x, "wet") for x in w])
    assert np.all(np.diff(theta) >= 0) and np.all((0 <= theta) & (theta < 1))
    assert np.all(np.diff(f) <= 0) and np.all((0 < f) & (f <= 1))
    assert bc.active_area_coverage(0.0, "wet") == 0.0 and bc.neck_blocking_factor(0.0, "wet") == 1.0


def test_dry_and_binder_free_leave_surface_open():
    for w in (0.5, 2.0, 10.0):
        assert bc.active_area_coverage(w, "dry") == 0.0
    assert bc.active_area_coverage(0.0, "none") == 0.0
    assert bc.neck_blocking_factor(0.0, "none") == 1.0
    # dry blocks less than wet at every content
    for w in (0.1, 0.5, 2.5):
        assert bc.neck_blocking_factor(w, "dry") > bc.neck_blocking_factor(w, "wet")


def test_effective_conductivity_closed_form():
    assert bc.effective_conductivity(1.0, 0.5, 2.0, 0.0, "none") == pytest.approx(0.25)
    f = bc.neck_blocking_factor(1.0, "wet")
    assert bc.effective_conductivity(0.3, 0.4, 4.0, 1.0, "wet") == pytest.approx(0.3 * 0.4**4 * f)
    assert math.isclose(bc.neck_blocking_factor(0.5, "wet"), 3.3e-6 / 1.7e-4, rel_tol=1e-12)


@pytest.mark.parametrize("w, process, match", [
    (-0.1, "wet", r"binder content=-0.1 wt% is outside the allowed range 0-10 wt%"),
    (10.5, "wet", r"binder content=10.5 wt%"),
    (float("nan"), "wet", r"binder content=nan"),
    (1.0, "slurry", r"process='slurry' is not one of wet, dry, none"),
    (1.0, "none", r"must be 0 for process='none'"),
])
def test_bad_binder_input_names_parameter(w, process, match):
    with pytest.raises(ValueError, match=match):
        bc.active_area_coverage(w, process)


@pytest.mark.parametrize("preset, kw", [("emley2023", {}), ("emley2023", dict(binder="ptfe")),
                                        ("emley2023", dict(process="none")), ("jo2024-cathode", dict(binder_content=2.5)),
                                        ("jo2024-anode", {})])
def test_model_expressions_are_the_number_laws(preset, kw):
    """What the model evaluates from PyBaMM parameters (binder_laws) is the law on numbers."""
    cond = resolve_conditions(preset, **kw)
    pv = parameter_values(cond)
    laws = binder_laws.electrode_values(pv, "positive")
    w, process = cond.binder_content_wt_pct, cond.process
    assert laws["binder coverage"] == pytest.approx(bc.active_area_coverage(w, process), rel=1e-12, abs=1e-15)
    assert laws["neck blocking factor"] == pytest.approx(bc.neck_blocking_factor(w, process), rel=1e-12)
    assert laws["electronic conductivity [S.m-1]"] == pytest.approx(
        pv["Positive electrode carbon network conductivity [S.m-1]"] * bc.neck_blocking_factor(w, process), rel=1e-12)


def test_law_constants_are_parameters_that_reach_the_laws():
    """Overriding a law constant (as fit --param and parameter files do) changes what the
    model evaluates, through the law: theta scales with theta_max, chi = exp(-G / G_chi),
    and a dry electrode follows the dry constant, not the wet one."""
    chi_scale = "Binder void nucleation fracture energy scale [J.m-2]"

    def laws(preset, **kw):
        return binder_laws.electrode_values(parameter_values(resolve_conditions(preset, **kw)), "positive")

    from ssbsim.parameter_sets.mechanics import BINDER_LAWS

    scale = BINDER_LAWS[chi_scale]
    base = laws("jo2024-cathode", binder_content=1.5)
    assert base["void nucleation factor"] == pytest.approx(math.exp(-93.0 * 1.5 / 4.0 / scale))  # NBR-toluene
    changed = laws("jo2024-cathode", binder_content=1.5, parameters={
        "Wet binder coverage maximum": 0.1, chi_scale: 2 * scale})
    assert changed["binder coverage"] == pytest.approx(base["binder coverage"] * 0.1 / 0.3802, rel=1e-12)
    assert changed["void nucleation factor"] == pytest.approx(math.sqrt(base["void nucleation factor"]), rel=1e-12)
    dry = laws("emley2023", binder="ptfe", parameters={"Wet binder saturated neck conductance fraction": 0.9})
    assert dry["neck blocking factor"] == pytest.approx(bc.neck_blocking_factor(0.5, "dry"), rel=1e-12)
    dry = laws("emley2023", binder="ptfe", parameters={"Dry binder saturated neck conductance fraction": 0.9})
    assert dry["neck blocking factor"] == pytest.approx(0.9 + 0.1 * math.exp(-0.5 / 0.1), rel=1e-12)


def test_entry_diffusivity_is_d_at_full_area_and_falls_with_coverage():
    """Li entry through the uncovered fraction u = 1 - theta acts as D u^2 (the
    Weppner-Huggins transient of area u S): u = 1 leaves D unchanged, and D_eff falls
    monotonically as the coverage theta (and with it the binder content) rises."""
    D = 3e-15
    assert bc.entry_diffusivity(D, 1.0) == D
    thetas = np.linspace(0.0, 0.99, 50)
    d_eff = [bc.entry_diffusivity(D, 1 - t) for t in thetas]
    assert np.all(np.diff(d_eff) < 0) and d_eff[-1] > 0
    assert bc.entry_diffusivity(D, 0.5) == pytest.approx(D / 4)
    d_of_w = [bc.entry_diffusivity(D, 1 - bc.active_area_coverage(w, "wet")) for w in np.linspace(0, 10, 41)]
    assert np.all(np.diff(d_of_w) <= 0)
    assert bc.entry_diffusivity(D, 1 - bc.active_area_coverage(2.5, "dry")) == D  # PTFE leaves the surface open


@pytest.mark.parametrize("w", [0.5, 2.5])
def test_model_entry_diffusivity_is_the_number_law(w):
    """The expression the particle submodel uses (``binder_laws.entry_diffusivity``),
    evaluated on the parameter set, is the number law at the electrode's coverage."""
    import pybamm

    pv = parameter_values(resolve_conditions("jo2024-cathode", binder_content=w))
    expr = binder_laws.entry_diffusivity("positive", pybamm.Scalar(1e-15))
    assert float(pv.evaluate(expr)) == pytest.approx(
        bc.entry_diffusivity(1e-15, 1 - bc.active_area_coverage(w, "wet")), rel=1e-12)


def test_a_binder_cast_se_film_conducts_as_the_neck_blocking_law_leaves_it():
    """Kwon 2022's pouch cells hold a 100 um LPSX film with 3 wt% NBR (wet-cast), not a
    pellet: the film's transport efficiency is the wet law's f(3 wt%) (~1/78), the
    pellets' 1, and a film cast without binder conducts as a pellet."""
    from ssbsim.parameter_sets import kwon2022
    from ssbsim.parameter_sets.components import solid_electrolyte_parameters
    from ssbsim.parameter_sets.materials import LPSCLBR

    def efficiency(pv):
        return 1 / pv.evaluate(pv["Separator tortuosity factor (electrolyte)"])

    pouch = parameter_values(resolve_conditions("kwon2022-pouch"))
    pellet = parameter_values(resolve_conditions("kwon2022"))
    assert pouch["Separator thickness [m]"] == kwon2022.POUCH_SE_FILM_THICKNESS_M == 100e-6
    assert pouch["Electrode height [m]"] * pouch["Electrode width [m]"] == pytest.approx(40e-3 * 50e-3)
    f_film = bc.neck_blocking_factor(kwon2022.POUCH_SE_FILM_BINDER_WT, "wet")
    assert efficiency(pouch) == pytest.approx(f_film, rel=1e-12) and f_film < 0.02
    assert efficiency(pellet) == 1.0
    bare = pellet.copy()
    bare.update(solid_electrolyte_parameters(LPSCLBR, 100e-6, 0.0, "wet"), check_already_exists=False)
    assert efficiency(bare) == pytest.approx(1.0, rel=1e-12)
    with pytest.raises(ValueError, match="binder"):
        solid_electrolyte_parameters(LPSCLBR, 100e-6, 3.0, "none")
