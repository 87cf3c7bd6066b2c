"""ssbsim.Conditions: defaults, enums, validation, immutability and the stored form.
Fast: no solves."""

import dataclasses
import json
import pickle

import numpy as np
import pytest
from click.testing import CliRunner

import ssbsim
from ssbsim.models import binder_coverage as bc
from ssbsim.models.options import OPTIONS
from ssbsim.parameter_sets import choi2025, emley2023, jo2024, kwon2022
from ssbsim.simulator import presets
from ssbsim.simulator.conditions import CellType, Conditions, Model, Process, parameter_values
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.protocol import Protocol
from ssbsim.simulator.results import CycleMetrics, SimulationResult
from ssbsim.simulator.sweep import build_grid, case_name

PROTOCOL = {"cycles": [{"steps": ["Charge at 0.2C until 4.2 V", "Discharge at 0.2C until 3.1 V"], "repeat": 2}]}


def test_exported_with_units_in_help():
    assert ssbsim.Conditions is Conditions and ssbsim.Model is Model
    doc = Conditions.__doc__
    for unit in ("[MPa]", "[wt%]", "[degC]", "[C]"):
        assert unit in doc
    units = {f.name: f.metadata.get("unit") for f in dataclasses.fields(Conditions)}
    assert units["pressure_MPa"] == "MPa" and units["temperature_C"] == "degC"
    assert all(f.name in doc for f in dataclasses.fields(Conditions))


@pytest.mark.parametrize("preset, module, window", [
    ("kwon2022", kwon2022, kwon2022.WINDOW_V), ("jo2024-anode", jo2024, jo2024.ANODE_WINDOW_V),
    ("emley2023", emley2023, emley2023.WINDOW_V), ("choi2025", choi2025, choi2025.WINDOW_V)])
def test_defaults_are_the_parameter_sets(preset, module, window):
    c = Conditions.resolve(preset)
    assert (c.temperature_C, c.pressure_MPa) == (module.TEMPERATURE_C, module.STACK_PRESSURE_MPA)
    assert presets.get_preset(preset).window_V == window
    assert c.binder in module.BINDERS and c.process == module.BINDERS[c.binder].process
    assert c.cycles == 1 and c.protocol is None and c.run_protocol.n_cycles == 1
    assert c.parameter_set == presets.get_preset(preset).parameter_set


def test_kwon_pouch_takes_its_own_pressure_and_window():
    c = Conditions.resolve("kwon2022-pouch")
    assert c.pressure_MPa == kwon2022.POUCH_STACK_PRESSURE_MPA == 0.0
    assert presets.get_preset("kwon2022-pouch").window_V == kwon2022.POUCH_WINDOW_V
    assert c.cell is CellType.FULL and Conditions.resolve("kwon2022").cell is CellType.HALF


def test_enums():
    assert [m.value for m in Model] == list(OPTIONS["model"])
    assert [p.value for p in Process] == list(bc.PROCESSES)
    for given, model in (("dfn", Model.DFN), ("spme", Model.SPMe), ("Spm", Model.SPM), (Model.SPMe, Model.SPMe)):
        assert Conditions.resolve("kwon2022", model=given).model is model
    c = Conditions.resolve("emley2023", process="DRY")
    assert c.process is Process.DRY and c.binder == "ptfe" and c.process == "dry"


@pytest.mark.parametrize("options, message", [
    ({"pressure": -5}, "pressure=-5 MPa is outside the allowed range: 0 to 500 MPa"),
    ({"temperature": 200}, "temperature=200 C is outside the allowed range of parameter set Kwon2022"),
    ({"c_rate": 0}, "C-rate=0 C is outside"),
    ({"cycles": 0}, "cycles=0 is outside"),
    ({"cycles": 1.5}, "cycles=1.5 is not a whole number"),
    ({"binder_content": 15}, "binder content=15 wt% is outside the allowed range: 0 to 10 wt%"),
    ({"process": "none", "binder_content": 2}, "binder content=2 wt% must be 0 with process 'none'"),
    ({"process": "spray"}, "process='spray' is not one of wet, dry, none"),
    ({"process": "none", "binder": "vulcanized"}, "--process none (binder-free) contradicts --binder vulcanized"),
    ({"process": "dry"}, "--process dry: preset 'kwon2022' has no binder made by it"),
    ({"model": "P2D"}, "model='P2D' is not one of DFN, SPMe, SPM"),
    ({"model": "dfm"}, "(did you mean 'DFN'?)"),
    ({"process": "Wett"}, "process='Wett' is not one of wet, dry, none (did you mean 'wet'?)"),
    ({"binder": "epoxy"}, "binder='epoxy' is not a binder of preset 'kwon2022'"),
    ({"protocol": PROTOCOL, "c_rate": 0.5}, "c_rate=0.5 and protocol given together"),
    ({"protocol": PROTOCOL, "cycles": 2}, "cycles=2 and protocol given together"),
    ({"protocol": {"cycles": [{"steps": ["Charge at 0.1C until 4.6 V"]}]}}, "outside the voltage window"),
    ({"parameters": {"No such parameter [m]": 1.0}}, "'No such parameter [m]' is not in parameter set Kwon2022"),
    ({"parameters": {"Stack pressure [Pa]": 1e6}}, "use --pressure"),
    # a flag is not a number, text or a number is not a flag (bool("False") is True)
    ({"mechanics": "False"}, "mechanics='False' is not one of True, False (contact mechanics on or off)"),
    ({"mechanics": "no"}, "mechanics='no' is not one of True, False"),
    ({"mechanics": 0}, "mechanics=0 is not one of True, False"),
    ({"mechanics": None}, "mechanics=None is not one of True, False"),
    ({"pressure": True}, "pressure=True is not a number; the allowed range: 0 to 500 MPa"),
    ({"temperature": np.True_}, "temperature=np.True_ is not a number; the allowed range of parameter set"),
    ({"c_rate": True}, "C-rate=True is not a number; the allowed range: 0.001 to 10 C"),
    ({"binder_content": False}, "binder content=False is not a number; the allowed range: 0 to 10 wt%"),
    ({"cycles": True}, "cycles=True is not a whole number"),
])
def test_bad_conditions_one_line_errors(options, message):
    with pytest.raises(InputError) as err:
        Conditions.resolve("kwon2022", **options)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_mechanics_takes_python_and_numpy_bools():
    for flag in (False, np.False_, np.bool_(False)):
        c = Conditions.resolve("kwon2022", mechanics=flag)
        assert c.mechanics is False and Conditions.from_dict(json.loads(c.key)).mechanics is False
    assert Conditions.resolve("kwon2022", mechanics=np.True_).mechanics is True


def test_frozen_and_replace_validates_again():
    c = Conditions.resolve("kwon2022")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.pressure_MPa = 7.0
    assert dataclasses.replace(c, pressure_MPa=7).pressure_MPa == 7.0 and c.pressure_MPa == 70.0
    with pytest.raises(InputError, match="pressure=600 MPa"):
        dataclasses.replace(c, pressure_MPa=600)
    faster = dataclasses.replace(c, c_rate=0.5)  # the default protocol follows the C-rate
    assert "0.5C" in faster.run_protocol.blocks[0].steps[0]
    assert hash(c) == hash(Conditions.resolve("kwon2022")) and c == Conditions.resolve("kwon2022")


@pytest.mark.parametrize("options", [{}, {"binder": "vulcanized", "pressure": 7, "model": "spm", "cycles": 3},
                                     {"process": "none"}, {"protocol": PROTOCOL},
                                     {"parameters": {"Positive electrode porosity": 0.2}, "mechanics": False}])
def test_round_trip_through_the_stored_form(options):
    c = Conditions.resolve("kwon2022", **options)
    d = c.to_dict()
    assert Conditions.from_dict(json.loads(json.dumps(d))) == c
    assert all(isinstance(v, (str, float, int, bool, dict, type(None))) and type(v) not in (Model, Process)
               for v in d.values())
    assert list(d)[:12] == ["preset", "parameter_set", "model", "binder", "process", "binder_content_wt_pct",
                            "pressure_MPa", "c_rate", "temperature_C", "cycles", "mechanics", "protocol"]
    assert ("parameters" in d) == ("parameters" in options)


def test_seed_case_names_are_those_of_stored_sweeps():
    """The stored form (and the digest of the HDF5 case names) is that of the dict the
    conditions were before they were typed: results stored then resume."""
    names = sorted(case_name(c) for c in build_grid())
    assert names == ["kwon2022-pristine-2MPa-d376b127", "kwon2022-pristine-70MPa-263b483d",
                     "kwon2022-pristine-7MPa-399faef3", "kwon2022-vulcanized-2MPa-6d0d5d5a",
                     "kwon2022-vulcanized-70MPa-488686d2", "kwon2022-vulcanized-7MPa-3bf47dfc"]


def test_parameter_values_built_once_per_conditions(monkeypatch):
    p = presets.get_preset("kwon2022")
    calls = []
    counting = dataclasses.replace(p, parameters=lambda *a: calls.append(a) or p.parameters(*a))
    monkeypatch.setitem(presets.PRESETS, "kwon2022", counting)
    c = Conditions.resolve("kwon2022", pressure=12.345, parameters={"Positive electrode porosity": 0.2})
    first, second = parameter_values(c), parameter_values(c)
    assert len(calls) == 1 and first is not second  # each caller gets its own copy
    assert first["Positive electrode porosity"] == 0.2
    again = pickle.loads(pickle.dumps(c))  # as a sweep sends it to a worker: without them
    assert again == c and hash(again) == hash(c)
    parameter_values(again)
    parameter_values(dataclasses.replace(c))  # a new object sees a parameter set as it is now
    assert len(calls) == 3


def test_completed_cycles_are_the_results_not_the_conditions():
    c = Conditions.resolve("kwon2022", cycles=3)
    metric = CycleMetrics(200.0, 170.0, 0.85, 3.7, 3.1)
    r = SimulationResult(c, [metric], {}, *[np.zeros(2)] * 4, voltage_reference="Li/Li+")
    d = r.to_dict()
    assert r.cycles_completed == 1 and d["cycles_completed"] == 1 and d["cycles"][0]["discharge_capacity_mAh_g"] == 170
    assert r.conditions.cycles == 3 and "cycles_completed" not in c.to_dict()


def test_cli_choices_are_case_insensitive(monkeypatch):
    from ssbsim.simulator import simulation
    from ssbsim.simulator.cli import main

    seen = {}
    monkeypatch.setattr(simulation, "simulate", lambda preset, **kw: seen.update(kw) or (_ for _ in ()).throw(
        InputError("stop")))
    CliRunner().invoke(main, ["simulate", "--preset", "emley2023", "--process", "DRY", "--model", "dfn"])
    assert (seen["process"], seen["model"]) == ("dry", "DFN")


def test_simulate_takes_conditions_alone():
    c = Conditions.resolve("kwon2022")
    with pytest.raises(InputError, match="set them in the conditions"):
        ssbsim.simulate(c, pressure=7)
    assert isinstance(Protocol.from_dict(c.to_dict()["protocol"]), Protocol)


def test_summary_columns_are_those_of_stored_sweeps():
    from ssbsim.simulator import store

    assert store._SUMMARY_COLUMNS[:12] == ["name", "preset", "model", "binder", "process", "binder_content_wt_pct",
                                           "pressure_MPa", "c_rate", "temperature_C", "cycles", "mechanics", "status"]


def test_coverage_entry_option_is_validated_and_stored_only_when_set():
    from ssbsim.simulator import cli

    assert list(cli.COVERAGE_ENTRIES.choices) == list(OPTIONS["coverage entry"])
    c = Conditions.resolve("jo2024-cathode")
    assert c.coverage_entry == "none" and "coverage_entry" not in c.to_dict()
    on = Conditions.resolve("jo2024-cathode", coverage_entry="effective diffusivity")
    assert on != c and on.to_dict()["coverage_entry"] == "effective diffusivity"
    assert Conditions.from_dict(on.to_dict()) == on
    with pytest.raises(InputError, match="coverage entry"):
        Conditions.resolve("jo2024-cathode", coverage_entry="diffusivity")
