"""Choi 2025 (NG-Si | Li6PS5Cl | Li, 4 wt% NBR from three solvents, 0.15C, 60 C).

The paper reports the first **delithiation** (its "discharge", after a CC-CV lithiation),
its Si part and the first-cycle CE. The anode's physics is tested as behaviour (limits,
conservation, trends); of the first-cycle rows tested here, one had a constant fitted on
it (the SE reduction film's interstitial diffusivity, on the anisole ICE) and has a
calibration regression test; the others are predictions, expected to fail where the
model does not yet reach them (Choi's rate and cycle-life rows are calibration rows of
other constants: ``parameter_sets/provenance.toml``)."""

import pytest
from conftest import calibration_rows

import ssbsim

from ssbsim.parameter_sets import choi2025
from ssbsim.simulator.presets import get_preset

BINDERS = get_preset("choi2025").binder_aliases  # data-file binder -> preset binder
TOTAL = {BINDERS[r["binder"]]: float(r["value"]) for r in calibration_rows("Choi2025", "delithiation_capacity")}
SI = {BINDERS[r["binder"]]: float(r["value"])
      for r in calibration_rows("Choi2025", "delithiation_capacity_from_Si")}
ICE = {BINDERS[r["binder"]]: float(r["value"]) / 100
       for r in calibration_rows("Choi2025", "initial_coulombic_efficiency")}
PRACTICAL = {r["system"]: float(r["value"]) for r in calibration_rows("Choi2025", "practical_specific_capacity")}
NOT_YET = pytest.mark.xfail(strict=True, reason="first delithiation ~501 mAh/g for every binder: each gives back "
                            "all its graphite (332) and Si (169 of 170) took, and no binder loses Si on the first "
                            "cycle at 48 MPa: its Si is 6 vol% of the layer, whose mean misfit stores ~4 J/m2 against "
                            "68-190 J/m2 of cohesion (models.layer_decohesion), and the contact law isolates ~1 % of "
                            "it whatever the binder")


def test_the_data_holds_what_these_tests_compare_with():
    assert set(TOTAL) == set(SI) == set(BINDERS.values()) and set(ICE) == {"nbr-anisole"}
    assert sorted(PRACTICAL.values()) == [370.0, 1700.0]


def test_each_binders_electrode_has_its_measured_pristine_thickness():
    """The data's pristine cross-sections (22 um anisole, 25 um toluene) at one loading:
    the layers' thickness ratio is the measured one, and they hold the same active
    material and SE per area (the extra thickness is voids)."""
    pristine = {BINDERS[r["binder"]]: float(r["value"].split("->")[0])
                for r in calibration_rows("Choi2025", "thickness_change")}
    assert pristine == {b: choi2025.PRISTINE_THICKNESS_UM[b] for b in pristine}
    pv = {b: choi2025.get_parameter_values(b) for b in ("nbr-anisole", "nbr-toluene")}
    L = {b: v["Positive electrode thickness [m]"] for b, v in pv.items()}
    assert L["nbr-toluene"] / L["nbr-anisole"] == pytest.approx(25.0 / 22.0, rel=1e-12)
    for name in ("Positive electrode porosity", "Primary: Positive electrode active material volume fraction",
                 "Secondary: Positive electrode active material volume fraction"):
        per_area = {b: pv[b][name] * L[b] for b in pv}
        assert per_area["nbr-toluene"] == pytest.approx(per_area["nbr-anisole"], rel=1e-12), name
    assert choi2025.pristine_void_fraction("nbr-anisole") == choi2025.ANODE.void_fraction


def test_practical_capacities_are_the_papers():
    """The phases span the practical capacities the paper states for its materials."""
    graphite, si = choi2025.ANODE.phases
    assert (graphite.specific_capacity_mAh_g, si.specific_capacity_mAh_g) == (370.0, 1700.0)
    assert choi2025.ANODE.theoretical_capacity_mAh_g == pytest.approx(0.9 * 370 + 0.1 * 1700)


def test_choi2025_calibration_regression_initial_coulombic_efficiency(simulate_cached):
    """Calibration regression: the SE reduction's one constant is fitted on this row
    (ICE 77 %, NBR in anisole, 48 MPa; scripts/calibrate_choi2025.py)."""
    r = simulate_cached("choi2025", binder="nbr-anisole")
    assert r.coulombic_efficiency == pytest.approx(ICE["nbr-anisole"], abs=0.01)


def test_first_delithiation_never_exceeds_the_lithiation_or_the_practical_capacity(simulate_cached):
    """At every pressure Choi ran: delithiation <= lithiation (CE < 1: the SE's reduction
    takes Li irreversibly) and <= 0.9 x 370 + 0.1 x 1700 = 503 mAh/g."""
    limit = choi2025.ANODE.theoretical_capacity_mAh_g
    for pressure in (16.0, 48.0, 80.0):
        r = simulate_cached("choi2025", binder="nbr-anisole", pressure=pressure)
        assert r.delithiation_capacity_mAh_g < r.lithiation_capacity_mAh_g
        assert r.delithiation_capacity_mAh_g <= limit + 1e-6


#: The ICE row's note: "about 77 % for NBR-A at every pressure tested and for both
#: binders at 80 MPa" (a statement, not a row of its own: +-3 points as the row). The
#: second binder at 80 MPa is not named; read here as p-xylene, the weakest (the
#: catalogue scores only anisole's 16 and 80 MPa, which the note names).
ICE_AT_EVERY_PRESSURE = [("nbr-anisole", 80.0), ("nbr-xylene", 80.0),
                         pytest.param("nbr-anisole", 16.0, marks=pytest.mark.xfail(strict=True, reason=(
                             "70.4 %: at 16 MPa the contact law isolates Si as it shrinks on the first "
                             "delithiation (458 mAh/g delithiated, 501 at 48 MPa), faster than the SE creeps "
                             "back; the layer no longer cracks (it did, ICE 60 %, with the closure that ignored "
                             "Si's 5.7 vol%). With the "
                             "nanoparticles' 50 nm as Si's contact radius instead of ~1 um agglomerates it reads "
                             "76 %, but then the anode keeps 99.8-99.9 % after 100 cycles at 48 MPa (89-94 % "
                             "measured; scripts/choi_si_contact_radius.py). No measured binder strength holds "
                             "the Si at 16 MPa (docs/physics.md, Known limits)")))]


@pytest.mark.parametrize("binder, pressure", ICE_AT_EVERY_PRESSURE)
def test_initial_coulombic_efficiency_at_the_other_pressures(simulate_cached, binder, pressure):
    """Validation (no constant is fitted at these pressures or on xylene's ICE)."""
    r = simulate_cached("choi2025", binder=binder, pressure=pressure)
    assert r.coulombic_efficiency == pytest.approx(ICE["nbr-anisole"], abs=0.03)


def test_coulombic_efficiency_rises_toward_one(simulate_cached):
    """The interphase passivates: each cycle loses less Li than the one before, and by
    the third cycle the irreversible fraction is less than half the first's (the film's
    transport-limited growth slows as it thickens)."""
    r = simulate_cached("choi2025", binder="nbr-anisole", cycles=3)
    ce = [c.charge_capacity_mAh_g / c.discharge_capacity_mAh_g for c in r.cycles]
    assert len(ce) == 3
    assert ce[0] < ce[1] < ce[2] < 1
    assert 1 - ce[2] < 0.5 * (1 - ce[0])
    for c in r.cycles:
        assert c.charge_capacity_mAh_g <= c.discharge_capacity_mAh_g


def test_graphite_si_split_sums_to_the_delithiation(simulate_cached):
    """Per phase, the charge through its surface in the delithiation (particle Li given
    up less the SE reduction on it) sums to the delithiation the cycler counts."""
    r = simulate_cached("choi2025", binder="nbr-anisole")
    split = r.phase_uptake_mAh_g(-1)
    assert -(split["primary"] + split["secondary"]) == pytest.approx(r.delithiation_capacity_mAh_g, rel=2e-3)
    lith = sum(r.phase_uptake_mAh_g(k)["primary"] + r.phase_uptake_mAh_g(k)["secondary"] for k in (0, 1))
    assert lith == pytest.approx(r.lithiation_capacity_mAh_g, rel=2e-3)
    assert 0 < -split["secondary"] <= 0.1 * 1700 + 1e-6 and 0 < -split["primary"] <= 0.9 * 370 + 1e-6


def test_the_irreversible_loss_sits_mostly_on_si(simulate_cached):
    """Si nanoparticles (R = 50 nm) carry ~20x graphite's area per volume: the SE's
    reduction consumes most of its Li there."""
    r = simulate_cached("choi2025", binder="nbr-anisole")
    irr = r.phase_irreversible_mAh_g(0)
    assert irr["secondary"] > 5 * irr["primary"] > 0


def test_a_stronger_binder_never_loses_more_si(simulate_cached):
    """Cohesion 187 > 93 > 65 N/m: at 16 and 48 MPa the Si part of the first
    delithiation never falls with cohesion (to the solver's tolerance, 0.5 mAh/g)."""
    for pressure in (16.0, 48.0):
        si = [-simulate_cached("choi2025", binder=b, pressure=pressure).phase_uptake_mAh_g(-1)["secondary"]
              for b in BINDERS.values()]
        assert si[0] >= si[1] - 0.5 and si[1] >= si[2] - 0.5


def test_capacity_is_monotone_in_pressure(simulate_cached):
    for binder in ("nbr-anisole", "nbr-toluene"):
        q = [simulate_cached("choi2025", binder=binder, pressure=p).delithiation_capacity_mAh_g
             for p in (16.0, 48.0, 80.0)]
        assert q[0] <= q[1] + 0.5 and q[1] <= q[2] + 0.5, binder  # to the solver's tolerance


def test_zero_si_strain_recovers_the_anode_without_si_loss(monkeypatch):
    """Without Si swelling no contact opens and no layer cracks: no Si particle is isolated
    and the Si gives back all it took except the SE reduction on it."""
    from dataclasses import replace

    from ssbsim.models import strain
    from ssbsim.simulator import simulation

    monkeypatch.setattr(simulation, "_RUNNERS", {})  # not the unpatched cell built by an earlier test
    graphite, si = choi2025.ANODE.phases
    monkeypatch.setattr(choi2025, "ANODE", replace(
        choi2025.ANODE, phases=(graphite, replace(si, volumetric_strain=strain.zero_strain))))
    r = ssbsim.simulate("choi2025", binder="nbr-xylene")
    halves = r.phase_halves_mAh_g(0)["secondary"]
    irr = sum(r.phase_irreversible_mAh_g(k)["secondary"] for k in range(3))
    stranded = r.solution["Loss of lithium due to loss of secondary active material in positive electrode [mol]"].entries
    assert stranded[-1] == pytest.approx(0.0, abs=1e-12)
    assert halves["delithiation"] + irr == pytest.approx(halves["lithiation"], rel=0.02)


@pytest.mark.parametrize("binder", ["nbr-anisole", pytest.param("nbr-toluene", marks=NOT_YET),
                                    pytest.param("nbr-xylene", marks=NOT_YET)])
def test_choi2025_first_delithiation(simulate_cached, binder):
    """510 / 469 / 464 mAh/g measured at 48 MPa (validation rows: no constant is fitted
    on them). The weaker binders' 41-46 mAh/g less is Si the model does not lose."""
    r = simulate_cached("choi2025", binder=binder)
    assert r.delithiation_capacity_mAh_g == pytest.approx(TOTAL[binder], abs=15)


SI_NOT_LOST = pytest.mark.xfail(strict=True, reason=(
    "~210 mAh/g above the first delithiation's dQ/dV valley (0.24 V) for every binder, where the paper "
    "has 224 / 188 / 183: the model's Si gives back all it took whatever the binder (NOT_YET)"))


@pytest.mark.parametrize("binder", ["nbr-anisole", pytest.param("nbr-toluene", marks=SI_NOT_LOST),
                                    pytest.param("nbr-xylene", marks=SI_NOT_LOST)])
def test_choi2025_si_part_of_the_first_delithiation(simulate_cached, binder):
    """Measured 224 / 188 / 183 mAh/g from Si, split by voltage plateau; the graphite
    part about 285 for all three (the CSV's note). Si delithiates on its measured
    delithiation branch (materials.SILICON), 0.14-0.36 V above its lithiation branch:
    on their mean, Si gave ~30 mAh/g below the valley and the part above read 162."""
    split = simulate_cached("choi2025", binder=binder).to_dict()["first_delithiation_split"]["by_plateau"]
    assert split["above_mAh_g"] == pytest.approx(SI[binder], abs=15)
    assert split["below_mAh_g"] == pytest.approx(285, abs=20)


def test_the_plateau_split_sums_to_the_delithiation_and_counts_more_than_si_above(simulate_cached):
    """The analysis of the Si rows on the model's own curve: a valley exists between
    graphite's stages and Si's plateau, the two sides, as the two phases, sum to the
    first delithiation, and the side above counts more than Si gave back (graphite's
    last stage ends above the valley while Si delithiates on its upper branch), as the
    paper's 224 mAh/g exceeds what its Si could give."""
    r = simulate_cached("choi2025", binder="nbr-anisole")
    split = r.to_dict()["first_delithiation_split"]
    plateau, phase = split["by_plateau"], split["by_phase"]
    assert 0.2 < plateau["valley_V"] < 0.3
    assert plateau["below_mAh_g"] + plateau["above_mAh_g"] == pytest.approx(r.delithiation_capacity_mAh_g, rel=1e-3)
    assert sum(phase.values()) == pytest.approx(r.delithiation_capacity_mAh_g, rel=1e-3)
    assert plateau["above_mAh_g"] > phase["secondary"]


def test_a_fast_delithiation_after_a_cc_cv_lithiation_completes():
    """The rate test's hardest step, 1.5C delithiation to 2 V after a 1.5C CC-CV
    lithiation, completes with the SE's Li+ concentration uniform (a single-ion
    conductor: where the salt balance was solved, c_e fell to ~0 and below here, IDA
    failed and 1.5C gave 54 % of 0.15C) and gives less than at 0.15C but at least 60 %
    of it (98 % here, one cycle after the first; the paper's rate rows, 1.5C over
    0.15C after 12 cycles, are where the anode's SE-network exponent is fitted)."""
    steps = lambda c: [f"Discharge at {c}C until 0.01 V", f"Hold at 0.01 V for 10 hours or until {c / 10:g}C",  # noqa: E731
                       f"Charge at {c}C until 2 V"]
    r = ssbsim.simulate("choi2025", binder="nbr-anisole",
                        protocol={"cycles": [{"steps": steps(0.15)}, {"steps": steps(1.5)}]})
    assert len(r.cycles) == 2
    c_e = r.solution["Electrolyte concentration [mol.m-3]"].entries
    assert c_e.min() == pytest.approx(c_e.max())
    slow, fast = (c.charge_capacity_mAh_g for c in r.cycles)
    assert 0.6 * slow < fast < slow
