"""Protocols as data: parsing, one-line errors, and equivalence with the presets' own."""

import json

import pytest
from click.testing import CliRunner

import ssbsim
from ssbsim.simulator.cli import main
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.presets import PRESETS, get_preset
from ssbsim.simulator.protocol import Protocol, load_protocol, paper_cycle

CHOI_CYCLE = ["Discharge at 0.15C until 0.01 V", "Hold at 0.01 V until 0.015C", "Charge at 0.15C until 2 V"]


@pytest.mark.parametrize("suffix, text", [
    (".json", json.dumps({"cycles": [{"steps": CHOI_CYCLE, "repeat": 3, "pressure_MPa": 16}]})),
    (".yaml", "cycles:\n  - steps:\n" + "".join(f"      - {s}\n" for s in CHOI_CYCLE)
     + "    repeat: 3\n    pressure_MPa: 16\n"),
    (".toml", "[[cycles]]\nsteps = " + json.dumps(CHOI_CYCLE) + "\nrepeat = 3\npressure_MPa = 16\n"),
])
def test_protocol_files_in_three_formats_read_the_same(tmp_path, suffix, text):
    path = tmp_path / f"p{suffix}"
    path.write_text(text)
    proto = load_protocol(path)
    assert proto == Protocol.from_dict({"cycles": [{"steps": CHOI_CYCLE, "repeat": 3, "pressure_MPa": 16}]})
    assert proto.n_cycles == 3 and proto.pressures(48.0) == [16.0]


@pytest.mark.parametrize("doc, match", [
    ({"cycles": []}, "the protocol is empty"),
    ({}, "the protocol is empty"),
    ({"cycles": "x"}, r"\"cycles\"='x' is not a list"),
    ({"cycles": [{"steps": ["Foo at 1C until 4 V"]}]}, r"cycle entry 1, step 1: 'Foo at 1C until 4 V' is not a PyBaMM experiment step"),
    ({"cycles": [{"steps": ["Charge at 1C"]}]}, r"step 1: 'Charge at 1C' is not a PyBaMM experiment step .*allowed forms"),
    ({"cycles": [{"steps": CHOI_CYCLE, "pressure_MPa": 900}]}, r"pressure_MPa=900 is outside the allowed range: 0 to 500 MPa"),
    ({"cycles": [{"steps": CHOI_CYCLE, "pressure_MPa": -1}]}, r"pressure_MPa=-1 is outside"),
    ({"cycles": [{"steps": CHOI_CYCLE, "repeat": 0}]}, r"repeat=0 must be a whole number from 1 to 1000"),
    ({"cycles": [{"steps": CHOI_CYCLE, "repeats": 2}]}, r"unknown key 'repeats'.*did you mean 'repeat'"),
    ({"cycles": [{"steps": CHOI_CYCLE, "repeat": 600}, {"steps": CHOI_CYCLE, "repeat": 600}]}, r"1200 cycles in all"),
])
def test_bad_protocols_get_one_line_errors_naming_the_entry(doc, match):
    with pytest.raises(InputError, match=match) as err:
        Protocol.from_dict(doc)
    assert "\n" not in str(err.value)


def test_bad_protocol_files(tmp_path):
    (tmp_path / "p.json").write_text("{not json")
    with pytest.raises(InputError, match=r"p.json is not valid JSON"):
        load_protocol(tmp_path / "p.json")
    (tmp_path / "p.txt").write_text("{}")
    with pytest.raises(InputError, match=r"unknown format '.txt'"):
        load_protocol(tmp_path / "p.txt")
    (tmp_path / "p.yaml").write_bytes(b"\x80\x04\x95pickle")
    with pytest.raises(InputError, match=r"cannot be read as text"):
        load_protocol(tmp_path / "p.yaml")
    (tmp_path / "q.yaml").write_text("!!python/object/apply:os.system ['echo hacked']")
    with pytest.raises(InputError, match=r"q.yaml is not valid YAML"):  # safe_load: data only
        load_protocol(tmp_path / "q.yaml")


def test_a_step_outside_the_cell_window_is_refused():
    with pytest.raises(InputError, match=r"'Charge at 0.1C until 4.6 V': 4.6 V is outside the voltage window "
                                         r"of preset 'kwon2022': 3 to 4.3 V \(vs Li/Li\+\)"):
        ssbsim.simulate("kwon2022", protocol={"cycles": [{"steps": ["Charge at 0.1C until 4.6 V"]}]})


def test_protocol_and_c_rate_or_cycles_conflict():
    with pytest.raises(InputError, match="c_rate=0.5 and protocol given together"):
        ssbsim.simulate("kwon2022", c_rate=0.5, protocol={"cycles": [{"steps": ["Rest for 1 minute"]}]})


def test_unknown_paper_protocol_name_lists_the_allowed():
    with pytest.raises(InputError, match=r"protocol='papr' is not a protocol of preset 'choi2025'; allowed: paper"):
        ssbsim.simulate("choi2025", protocol="papr")


def test_every_preset_default_is_its_paper_cycle():
    for p in PRESETS.values():
        proto = p.protocol(0.2, 2)
        assert proto.n_cycles == 2 and proto.blocks[0].steps == paper_cycle(p.working, 0.2, *p.window_V, p.cv_cutoff)


def test_custom_protocol_equals_the_presets_protocol_where_the_steps_are_the_same(simulate_cached):
    """The same steps given as --step on the command line and as the preset's default
    give the same numbers (SPM, Kwon 2 MPa, 2 cycles)."""
    p = get_preset("kwon2022")
    steps = paper_cycle("cathode", 0.1, *p.window_V, p.cv_cutoff)
    default = simulate_cached("kwon2022", model="SPM", pressure=2.0, cycles=2).to_dict()
    args = ["simulate", "--preset", "kwon2022", "--model", "SPM", "--pressure", "2", "--json", "--repeat", "2"]
    res = CliRunner().invoke(main, args + [a for s in steps for a in ("--step", s)])
    assert res.exit_code == 0, res.output
    custom = json.loads(res.stdout)
    assert len(custom["cycles"]) == 2
    for a, b in zip(default["cycles"], custom["cycles"]):
        assert b["discharge_capacity_mAh_g"] == pytest.approx(a["discharge_capacity_mAh_g"], rel=1e-9)
        assert b["charge_capacity_mAh_g"] == pytest.approx(a["charge_capacity_mAh_g"], rel=1e-9)


def test_entries_at_other_pressures_continue_the_same_cell(simulate_cached):
    """Two cycles at 70 MPa, then two at 2 MPa: the first two equal a 70 MPa run, the
    pressure drop costs capacity, and each cycle reports its block, label and pressure."""
    cyc = list(paper_cycle("cathode", 0.1, 3.0, 4.3))
    proto = {"cycles": [{"steps": cyc, "repeat": 2, "pressure_MPa": 70, "label": "lab"},
                        {"steps": cyc, "repeat": 2, "pressure_MPa": 2, "label": "practical"}]}
    r = ssbsim.simulate("kwon2022", model="SPM", protocol=proto)
    at70 = simulate_cached("kwon2022", model="SPM", pressure=70.0, cycles=2)
    q = [c.discharge_capacity_mAh_g for c in r.cycles]
    assert q[:2] == pytest.approx([c.discharge_capacity_mAh_g for c in at70.cycles], rel=1e-6)
    assert q[3] < q[1] - 5
    assert [(c.block, c.label, c.pressure_MPa) for c in r.cycles] == [
        (0, "lab", 70.0), (0, "lab", 70.0), (1, "practical", 2.0), (1, "practical", 2.0)]


def test_a_single_entry_at_its_own_pressure_runs_at_that_pressure(simulate_cached):
    """One entry at 2 MPa on Kwon's cell (run pressure 70 MPa) is the --pressure 2 run,
    not the 70 MPa one it reports as 2 MPa."""
    proto = {"cycles": [{"steps": list(paper_cycle("cathode", 0.1, 3.0, 4.3)), "pressure_MPa": 2}]}
    r = ssbsim.simulate("kwon2022", model="SPM", protocol=proto)
    at2 = simulate_cached("kwon2022", model="SPM", pressure=2.0)
    at70 = simulate_cached("kwon2022", model="SPM", pressure=70.0)
    q = r.cycles[0].discharge_capacity_mAh_g
    assert r.cycles[0].pressure_MPa == 2.0
    assert q == pytest.approx(at2.cycles[0].discharge_capacity_mAh_g, rel=1e-6)
    assert q < at70.cycles[0].discharge_capacity_mAh_g - 5
    # the result says so: a note (also in the text summary), the cycle's pressure in the
    # JSON beside the run's, and the conditions as they read back
    assert any(n.startswith("the protocol's entries set the stack pressure: 2 MPa (the run's 70 MPa") for n in r.notes)
    assert "note: the protocol's entries set the stack pressure" in r.summary()
    d = json.loads(json.dumps(r.to_dict()))
    assert d["pressure_MPa"] == 70.0 and d["cycles"][0]["pressure_MPa"] == 2.0
    from ssbsim.simulator.conditions import Conditions

    assert Conditions.from_dict(d["conditions"]) == r.conditions
    assert not any("protocol's entries" in n for n in at70.notes)


def test_cli_protocol_errors_are_one_line(tmp_path):
    res = CliRunner().invoke(main, ["simulate", "--preset", "kwon2022", "--step", "Charge at 0.1C"])
    assert res.exit_code == 2 and res.output.count("\n") == 1 and "not a PyBaMM experiment step" in res.output
    res = CliRunner().invoke(main, ["simulate", "--preset", "kwon2022", "--repeat", "3"])
    assert res.exit_code == 2 and "--repeat 3 needs --step" in res.output


def test_cycles_not_kept_report_the_same_capacities_from_pybamms_summary(monkeypatch):
    """Long protocols keep the full solution of the first cycle of each entry and the
    last cycle only; the others' capacities come from PyBaMM's summary variables and
    equal what the kept solution gives. Average voltages of those cycles are unknown
    (null in JSON, never NaN)."""
    from ssbsim.simulator import long_runs
    from ssbsim.simulator.results import cycle_metrics

    cyc = list(paper_cycle("cathode", 0.2, 3.0, 4.3))
    proto = {"cycles": [{"steps": cyc, "repeat": 4}]}
    full = ssbsim.simulate("kwon2022", model="SPM", pressure=2.0, protocol=proto)
    for c, s in zip(full.solution.cycles, full.solution.all_summary_variables):
        a, b = cycle_metrics(c, s, full.electrode["active_mass_g"], "cathode"), \
            cycle_metrics(None, s, full.electrode["active_mass_g"], "cathode")
        assert b.discharge_capacity_mAh_g == pytest.approx(a.discharge_capacity_mAh_g, rel=1e-6)
        assert b.charge_capacity_mAh_g == pytest.approx(a.charge_capacity_mAh_g, rel=1e-6)
    monkeypatch.setattr(long_runs, "LONG_RUN_CYCLES", 2)
    lean = ssbsim.simulate("kwon2022", model="SPM", pressure=2.0, protocol=proto)
    assert [c is None for c in lean.solution.cycles] == [False, True, True, False]
    for a, b in zip(full.cycles, lean.cycles):
        assert b.discharge_capacity_mAh_g == pytest.approx(a.discharge_capacity_mAh_g, rel=1e-6)
    d = json.loads(json.dumps(lean.to_dict(), allow_nan=False))
    assert d["cycles"][1]["average_discharge_voltage_V"] is None
    assert d["cycles"][3]["average_discharge_voltage_V"] == pytest.approx(full.cycles[3].average_discharge_voltage_V)
    assert lean.electrode["final_porosity"] == pytest.approx(full.electrode["final_porosity"], rel=1e-9)
    for summary in lean.solution.all_summary_variables:  # no view keeps a dropped cycle alive
        for state in (summary.first_state, summary.last_state):
            assert state.sub_solutions == [state] and all(y.base is None for y in state.all_ys)
