"""Extrapolation notes (``simulator.calibration_domain``): the span of each condition over
the rows the fitted constants were fitted on, derived from the provenance registry and
the catalogue (not kept by hand), and a note for every case outside it."""

import pytest

from ssbsim.simulator import calibration_domain as cd
from ssbsim.simulator.simulation import resolve_conditions


@pytest.fixture(autouse=True)
def _fresh_domain():
    cd.calibration_domain.cache_clear()
    yield
    cd.calibration_domain.cache_clear()


def test_the_domain_is_the_span_of_the_fitted_rows():
    """Kwon's 2 and 70 MPa capacity rows and Jo's 75 MPa porosity rows are fitted on
    (provenance.toml): the cathode's pressures span 2-75 MPa; Jo's GITT areas at 0.5-2.5
    wt% NBR set its binder span; Choi's rows, all at 48 MPa and 60 C, the anode's."""
    d = cd.calibration_domain()
    cat = d["cathode"]
    assert (cat["pressure_MPa"].lo, cat["pressure_MPa"].hi) == (2.0, 75.0)
    assert "kwon2022-q1-pristine-2MPa" in cat["pressure_MPa"].rows
    assert (cat["wet_binder_content_wt_pct"].lo, cat["wet_binder_content_wt_pct"].hi) == (0.5, 2.5)
    assert "jo2024-active-area-2.5wt" in cat["wet_binder_content_wt_pct"].rows
    # the as-built rows (GITT areas, blocking cells) constrain the binder only
    assert not any(r.startswith(("jo2024-active-area", "emley2023")) for r in cat["pressure_MPa"].rows)
    an = d["anode"]
    assert all(r.startswith("choi2025") for s in an.values() for r in s.rows)
    assert (an["pressure_MPa"].lo, an["pressure_MPa"].hi) == (48.0, 48.0)
    assert an["temperature_C"].lo == an["temperature_C"].hi == 60.0


def test_a_newly_fitted_row_widens_the_domain(monkeypatch):
    """Fitting a constant on Emley's 60 C rate cells would make 60 C a calibrated
    temperature of the cathode: the domain follows the registry."""
    from ssbsim.parameter_sets import provenance

    before = cd.calibration_domain()["cathode"]["temperature_C"]
    assert before.hi == 30.0
    rows = provenance.fitted_rows() | {"emley2023-q-ratio-dry-wet"}
    monkeypatch.setattr(provenance, "fitted_rows", lambda: rows)
    cd.calibration_domain.cache_clear()
    assert cd.calibration_domain()["cathode"]["temperature_C"].hi == 60.0


def test_a_case_inside_has_no_note_and_each_condition_outside_has_one():
    assert cd.extrapolation_notes(resolve_conditions("kwon2022")) == []
    notes = cd.extrapolation_notes(resolve_conditions("kwon2022", pressure=0.5, c_rate=1.0, binder_content=10.0))
    assert len(notes) == 3
    assert any("stack pressure 0.5 MPa is outside 2-75 MPa" in n for n in notes)
    assert any("C-rate 1 C is outside 0.05-0.5 C" in n for n in notes)
    assert any("wet-processed binder content 10 wt% is outside 0.5-2.5 wt%" in n for n in notes)
    assert cd.extrapolation_notes(resolve_conditions("kwon2022", process="none")) == []  # no wet binder
    assert cd.extrapolation_notes(resolve_conditions("choi2025", pressure=16.0)) == [
        "extrapolation: stack pressure 16 MPa is not 48 MPa, the only value of the anode rows the fitted "
        "constants were fitted on"]


def test_a_protocol_is_judged_by_its_steps_rates():
    """Choi's paper protocol runs 0.15-1.5C, inside the anode's span; a 3C step is not."""
    assert cd.extrapolation_notes(resolve_conditions("choi2025", protocol="paper")) == []
    steps = ["Discharge at 3C until 0.01 V", "Charge at 0.15C until 2 V"]
    notes = cd.extrapolation_notes(resolve_conditions("choi2025", protocol={"cycles": [{"steps": steps}]}))
    assert notes and "C-rate 3 C is outside 0.15-1.5 C" in notes[0]
    slow = ["Discharge at C/20 until 0.01 V", "Charge at C/5 until 2 V"]  # PyBaMM's C/n form
    notes = cd.extrapolation_notes(resolve_conditions("choi2025", protocol={"cycles": [{"steps": slow}]}))
    assert notes == ["extrapolation: C-rate 0.05 C is outside 0.15-1.5 C, the span of the anode rows the fitted "
                     "constants were fitted on"]



def test_current_and_power_steps_are_judged_as_c_rates_of_the_presets_1c():
    """A step at a current or power gets the note a C-rate step of the same current gets
    (power through the middle of the window); inside the span, no note."""
    from ssbsim.simulator.presets import get_preset

    p = get_preset("kwon2022")
    for drive in (f"{p.one_c_A * 1e3:.6g} mA", f"{p.one_c_A * p.mid_voltage_V * 1e3:.6g} mW", "1C"):
        steps = ["Charge at 0.1C until 4.3 V", f"Discharge at {drive} until 3 V"]
        notes = cd.extrapolation_notes(resolve_conditions("kwon2022", protocol={"cycles": [{"steps": steps}]}))
        assert len(notes) == 1 and "extrapolation: C-rate 1 C is outside 0.05-0.5 C" in notes[0], drive
    inside = ["Charge at 0.1C until 4.3 V", f"Discharge at {0.2 * p.one_c_A:.6g} A until 3 V"]
    assert cd.extrapolation_notes(resolve_conditions("kwon2022", protocol={"cycles": [{"steps": inside}]})) == []


def test_a_protocol_entry_at_its_own_pressure_gets_the_note():
    """The user guide's protocol: a formation block at 16 MPa, then cycles at the run's
    pressure (Choi's 48 MPa, the only anode value fitted): the 16 MPa block is noted, as
    with --pressure 16."""
    formation = ["Discharge at 0.15C until 0.01 V", "Hold at 0.01 V until 0.015C", "Charge at 0.15C until 2 V"]
    proto = {"cycles": [{"steps": formation, "repeat": 3, "pressure_MPa": 16, "label": "formation"},
                        {"steps": ["Discharge at 1.5C until 0.01 V", "Charge at 1.5C until 2 V"], "repeat": 3}]}
    at16 = cd.extrapolation_notes(resolve_conditions("choi2025", pressure=16.0))
    assert cd.extrapolation_notes(resolve_conditions("choi2025", model="SPM", protocol=proto)) == at16
    assert at16 and "stack pressure 16 MPa is not 48 MPa" in at16[0]
    proto["cycles"][0]["pressure_MPa"] = 48
    assert cd.extrapolation_notes(resolve_conditions("choi2025", protocol=proto)) == []


def test_a_validation_row_outside_the_fitted_span_says_so():
    """Jo's Si-graphite rows sit outside every anode condition the fits saw (Choi's 48 MPa,
    60 C, 0.15-1.5C, 4 wt%): the validation table's note names each; inside, it is empty."""
    from ssbsim.simulator.catalogue import load_catalogue
    from ssbsim.simulator.sweep import case_name
    from ssbsim.simulator.validate import _plan, _row

    assert cd.outside_text(resolve_conditions("choi2025", binder="nbr-toluene")) == ""
    entries = {e.id: e for e in load_catalogue(["jo2024"])}
    e = entries["jo2024-sic-q0-0.5wt"]
    plan = _plan(e, "DFN")
    name = case_name(plan["cases"][0])
    outside = ("outside the fitted rows: stack pressure 75 MPa (48 MPa); temperature 30 C (60 C); "
               "C-rate 0.05 C (0.15-1.5 C); wet-processed binder content 0.5 wt% (4 wt%)")
    for model, within in ((1060.0, True), (1100.0, False)):  # 1062 measured, +-3 %
        row = _row(e, plan, {name: {"status": "ok"}}, {name: {"cycle_discharge_capacity_mAh_g": [model]}},
                   False, "DFN")
        assert row["model"] == model and row["within_tolerance"] is within
        # a miss also names its known cause first (the catalogue's known_limit)
        assert row["note"] == (outside if within else f"known limit: {e.known_limit}; {outside}")


def test_a_full_cell_is_judged_on_its_anode_too():
    """Jo's full cell holds the Si-graphite anode whose SE reduction and SE-network
    exponent were fitted on Choi's anode rows (48 MPa, 60 C): at Jo's 75 MPa and 30 C it
    gets the anode's notes besides the cathode's; Kwon's NCM | LTO pouch holds no anode
    constant (no SE reduction on LTO), so only its cathode is judged."""
    full = resolve_conditions("jo2024-full")
    assert cd.electrodes(full) == ("cathode", "anode")
    notes = [n for n in cd.extrapolation_notes(full) if n.endswith("(the full cell's negative electrode)")]
    assert any(n.startswith("extrapolation: stack pressure 75 MPa is not 48 MPa") for n in notes)
    assert any(n.startswith("extrapolation: temperature 30 C is not 60 C") for n in notes)
    assert "anode stack pressure 75 MPa (48 MPa)" in cd.outside_text(full)
    pouch = resolve_conditions("kwon2022-pouch")
    assert cd.electrodes(pouch) == ("cathode",)
    assert not any("negative electrode" in n for n in cd.extrapolation_notes(pouch))
