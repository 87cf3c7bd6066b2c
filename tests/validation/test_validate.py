"""The validation catalogue covers the data, and `ssbsim validate` reports it honestly."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import calibration_rows

from ssbsim.simulator.catalogue import inputs, load_catalogue, matches
from ssbsim.simulator.cli import main
from ssbsim.simulator.validate import score


def _matching(source, selector):
    return [i for i, r in enumerate(calibration_rows()) if matches(r, source, selector)]


def test_every_row_of_the_data_is_catalogued_once():
    """Each CSV row is a catalogued measurement or a measured input, exactly once, and
    each catalogue entry names exactly one row, with the same value and unit."""
    rows = calibration_rows()
    claimed = []
    for e in load_catalogue():
        hit = _matching(e.source, e.csv)
        assert len(hit) == 1, (e.id, hit)
        row = rows[hit[0]]
        if e.from_note:  # a value the row's note states for other conditions: it does not claim the row
            assert e.from_note in row["note"] and e.unit == row["unit"], e.id
            assert re.search(rf"(?<![\d.]){re.escape(e.measured_text)}(?![\d.])", e.from_note), e.id
            continue
        assert (row["value"], row["unit"]) == (e.measured_text, e.unit) or (
            float(row["value"]) == pytest.approx(e.measured) and row["unit"] == e.unit), e.id
        claimed += hit
    for name, (source, selector) in inputs().items():
        hit = _matching(source, selector)
        assert len(hit) == 1, (name, hit)
        claimed += hit
    assert sorted(claimed) == list(range(len(rows))), "rows not catalogued: " + ", ".join(
        f"{rows[i]['source']} {rows[i]['quantity']}" for i in sorted(set(range(len(rows))) - set(claimed)))


def test_known_limits_point_to_where_they_are_explained():
    limited = [e for e in load_catalogue() if e.known_limit]
    assert {e.paper for e in limited} >= {"jo2024", "choi2025", "kimkwonjung2022"}
    assert all("docs/physics.md, Known limits" in e.known_limit for e in limited)
    physics = (Path(__file__).parents[2] / "docs" / "physics.md").read_text()
    assert "## Known limits" in physics


def test_tolerances_and_derivations_are_stated():
    for e in load_catalogue():
        assert e.tolerance and (e.unsupported or e.tolerance_reason), e.id
        if not e.unsupported:
            assert e.preset and e.derive["kind"], e.id


def test_within_tolerance_kinds():
    entries = {e.id: e for e in load_catalogue()}
    q = entries["kwon2022-q1-pristine-2MPa"]  # 151 mAh/g, +-3 %
    assert q.within(155.0) and not q.within(146.0)
    loss = entries["kimkwonjung2022-binder-loss"]  # 18-35 mAh/g
    assert loss.range == (18.0, 35.0) and loss.within(20.0) and not loss.within(0.4)
    sigma = entries["emley2023-ionic-wet"]  # x/÷ 1.5
    assert sigma.within(4.5e-6) and not sigma.within(5.5e-6)
    thick = entries["choi2025-thickness100-anisole"]  # 22 -> 27 um: +5 um
    assert thick.measured == 5.0 and thick.range is None


def test_the_error_in_tolerances_is_within_where_it_is_at_most_one():
    """``Entry.tolerance_error``, the residual of fits on rows: signed, in units of the
    row's tolerance, and |error| <= 1 exactly where ``within`` holds, for every kind."""
    import numpy as np

    entries = {e.id: e for e in load_catalogue()}
    thick = entries["choi2025-thickness100-anisole"]  # 5 um +- 2
    assert thick.tolerance_error(8.96) == pytest.approx(1.98) and thick.tolerance_error(4.0) == pytest.approx(-0.5)
    assert entries["emley2023-ionic-wet"].tolerance_error(3.3e-6 * 1.5**2) == pytest.approx(2.0)  # x/÷ 1.5
    loss = entries["kimkwonjung2022-binder-loss"]  # 18-35 mAh/g: 26.5 +- 8.5
    assert loss.tolerance_error(35.0) == pytest.approx(1.0) and loss.tolerance_error(0.5) == pytest.approx(-26 / 8.5)
    for e in entries.values():
        for f in (0.5, 0.9, 0.99, 1.01, 1.2, 3.0):
            x = e.measured * f
            assert (abs(e.tolerance_error(x)) <= 1) == e.within(x), (e.id, f)
    assert np.isnan(thick.tolerance_error(float("nan")))


def test_score_counts_validation_rows_only_in_the_rms():
    rows = [{"model": 110.0, "measured": 100.0, "role": "validation", "within_tolerance": False},
            {"model": 100.0, "measured": 100.0, "role": "calibration", "within_tolerance": True},
            {"model": None, "measured": 5.0, "role": "validation", "within_tolerance": None}]
    s = score(rows)
    assert s["validation_rms_relative_error"] == pytest.approx(0.1)
    assert (s["rows"], s["simulated"], s["within_tolerance"]) == (3, 2, 1)


def test_validate_quick_json_on_a_small_subset(tmp_path):
    """Emley's conductivities (virtual blocking cells: a one-second rest each) and the
    review's binder loss (two fast solves):
    one JSON object with the documented keys, a report and figures on disk; a re-run
    resumes from the store."""
    args = ["validate", "--quick", "--only", "emley2023", "--only", "kimkwonjung2022", "--json",
            "--workers", "1", "--out", str(tmp_path)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(d) == {"rows", "score"}
    ids = {r["id"] for r in d["rows"]}
    assert "kimkwonjung2022-binder-loss" in ids and "emley2023-ionic-wet" in ids
    for r in d["rows"]:
        assert {"id", "source", "quantity", "conditions", "measured", "model", "unit", "role",
                "within_tolerance"} <= set(r)
        assert r["role"] in ("calibration", "validation")
        assert r["model"] is not None and isinstance(r["within_tolerance"], bool)
    assert d["score"]["rows"] == len(d["rows"])
    assert (tmp_path / "validation.md").read_text().count("| kimkwonjung2022-binder-loss |") == 1
    for r in d["rows"]:  # a miss with a known cause says so; a row within tolerance does not
        known = r["id"] == "kimkwonjung2022-binder-loss" and not r["within_tolerance"]
        assert r["note"].startswith("known limit: ") == known, r
    assert list((tmp_path / "figures").glob("*.png"))
    again = json.loads(CliRunner().invoke(main, args).stdout)
    assert again == d


def test_report_figures_draw_calibration_rows_hollow():
    """A measured point a constant was fitted on is not a prediction: the report's
    figures draw it hollow, validation rows filled."""
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure

    from ssbsim.simulator.figures import measured_style

    ax = Figure().add_subplot()
    hollow = ax.scatter([1], [1], **measured_style("calibration", "C0"))
    filled = ax.scatter([2], [2], **measured_style("validation", "C0"))
    face = hollow.get_facecolor()
    assert (len(face) == 0 or face[0][3] == 0) and tuple(hollow.get_edgecolor()[0]) == to_rgba("C0")
    assert tuple(filled.get_facecolor()[0]) == to_rgba("C0")


def test_validate_refuses_an_unknown_paper(tmp_path):
    res = CliRunner().invoke(main, ["validate", "--only", "kwon2023", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "only='kwon2023' is not a paper of the catalogue" in res.output


def test_a_run_that_stopped_early_is_not_read_as_its_last_cycle():
    """Retention 'after 100 cycles' is cycle 115 of the protocol: a run that completed
    114 cycles gives no value (it once read cycle 114's near-zero capacity)."""
    from ssbsim import Conditions
    from ssbsim.simulator.validate import _cycle_value, _NotDerived

    series = {"cycle_charge_capacity_mAh_g": [300.0] * 113 + [0.0]}
    run = {n: Conditions.resolve("kwon2022", cycles=n) for n in (114, 115)}
    with pytest.raises(_NotDerived, match="only 114 of 115 cycles completed"):
        _cycle_value(run[115], series, "delithiation", [-1])
    assert _cycle_value(run[114], series, "delithiation", [-1]) == 0.0
    assert _cycle_value(run[115], series, "delithiation", [1, 2]) == 300.0


def test_a_change_from_the_pristine_cell_is_not_read_from_a_fast_runs_last_cycle():
    """The fast path keeps the last cycle's time series: 'final' with change = true would
    read the change over that cycle; it gives no value there, and last_cycle reads the
    per-cycle metric instead."""
    import types

    from ssbsim import Conditions
    from ssbsim.simulator.validate import _derive_one, _NotDerived

    cond = Conditions.resolve("kwon2022", cycles=2)
    final = types.SimpleNamespace(derive={"kind": "final", "key": "thickness_change_um", "change": True}, id="x")
    last = types.SimpleNamespace(derive={"kind": "last_cycle", "key": "end_electrode_thickness_change_um"}, id="x")
    series = {"thickness_change_um": [1.0, 1.5], "cycle_charge_capacity_mAh_g": [150.0, 150.0],
              "cycle_end_electrode_thickness_change_um": [0.8, 1.5]}
    assert _derive_one(final, cond, {}, series | {"time_s": [0.0, 9e4]}) == 0.5  # series from the pristine cell
    with pytest.raises(_NotDerived, match="derive kind last_cycle"):
        _derive_one(final, cond, {}, series | {"time_s": [9e4, 1.8e5]})
    assert _derive_one(last, cond, {}, series) == 1.5


def test_the_api_runs_the_same_catalogue(tmp_path):
    """ssbsim.validate() is the command's engine: Emley's conductivities are virtual
    blocking cells (a one-second rest each, no cycling)."""
    import ssbsim

    rep = ssbsim.validate(["emley2023"], quick=True, out=tmp_path, workers=1, report=False)
    rows = {r["id"]: r for r in rep.rows}
    assert rows["emley2023-ionic-wet"]["role"] == "calibration"  # the blocking law was fitted on it
    assert rows["emley2023-electronic-wet"]["role"] == "validation" and rows["emley2023-electronic-wet"]["within_tolerance"]
    assert rep.score["rows"] == len(rep.rows)


@pytest.mark.parametrize("row, options", [
    ("emley2023-ionic-wet", ["--binder", "nbr"]),
    ("emley2023-electronic-dry", ["--binder", "ptfe"]),
])
def test_a_characterise_row_is_what_the_characterise_command_measures(row, options, tmp_path):
    """A row with derive kind 'characterise' gives the number `ssbsim characterise
    blocking` prints for the same cell, pressure, temperature and model."""
    from ssbsim.simulator.validate import QUICK_MODEL, validate

    e = {x.id: x for x in load_catalogue(["emley2023"])}[row]
    assert e.derive["kind"] == "characterise" and e.derive["measurement"] == "blocking"
    assert (e.conditions["pressure"], e.conditions["temperature"]) == (21.0, 30.0)  # Emley's blocking cells
    rep = validate(["emley2023"], quick=True, out=tmp_path, report=False, workers=1)
    model = {r["id"]: r for r in rep.rows}[row]["model"]
    res = CliRunner().invoke(main, ["characterise", "blocking", "--preset", "emley2023", *options, "--pressure",
                                    "21", "--temperature", "30", "--model", QUICK_MODEL, "--json"])
    assert res.exit_code == 0, res.output
    assert model == pytest.approx(json.loads(res.stdout)[e.derive["key"]], rel=1e-5)  # the row's 6 digits


@pytest.mark.parametrize("field, value, allowed", [
    ("measurement", "gitt", "allowed: blocking"),
    ("key", "ionic_conductivity", "allowed for measurement 'blocking': ionic_conductivity_S_cm, "
                                  "electronic_conductivity_S_cm"),
])
def test_a_bad_virtual_measurement_is_one_line_naming_the_entry(monkeypatch, field, value, allowed):
    from ssbsim.parameter_sets import experiments
    from ssbsim.simulator.errors import InputError

    doc = {"source": "Emley2023", "experiments": [{
        "id": "emley2023-x", "csv": {"quantity": "ionic_conductivity"}, "preset": "emley2023",
        "measured": {"value": 1e-5, "unit": "S/cm"}, "tolerance": {"factor": 1.5},
        "derive": {"kind": "characterise", "measurement": "blocking", "key": "ionic_conductivity_S_cm"} | {field: value}}]}
    monkeypatch.setattr(experiments, "load", lambda paper: doc)
    with pytest.raises(InputError) as err:
        load_catalogue(["emley2023"])
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("emley2023.toml, experiment 'emley2023-x': ")
    assert f"derive.{field}={value!r}; {allowed}" in msg


def test_a_value_from_a_rows_note_is_scored_as_validation_and_says_where_it_is_from(monkeypatch):
    """Choi 2025's ICE row (48 MPa, calibration) notes "about 77 % for NBR-A at every
    pressure tested": the 16 and 80 MPa entries take 77 % from that note, are scored as
    validation rows (no constant was fitted on them), and their report row quotes the
    note; a miss names its known limit first."""
    from ssbsim import Conditions
    from ssbsim.simulator import validate as v
    from ssbsim.simulator.sweep import case_name

    entries = {e.id: e for e in load_catalogue(["choi2025"])}
    noted = [e for e in entries.values() if e.from_note]
    assert {e.id for e in noted} >= {"choi2025-ice-anisole-16MPa", "choi2025-ice-anisole-80MPa"}
    e = entries["choi2025-ice-anisole-16MPa"]
    assert e.conditions["pressure"] == 16.0 and e.measured == 77.0
    cond = Conditions.resolve("choi2025", binder="nbr-anisole", pressure=16.0)
    plan = {"cases": [cond]}
    from ssbsim.parameter_sets.provenance import fitted_rows

    assert "choi2025-ice-anisole" in fitted_rows() and not {n.id for n in noted} & fitted_rows()
    for ice, within in ((0.70, False), (0.77, True)):
        monkeypatch.setattr(v, "_derive_one", lambda *a, ice=ice: ice)
        row = v._row(e, plan, {case_name(cond): {"status": "ok"}}, {case_name(cond): {}}, e.id in fitted_rows(), "DFN")
        assert row["role"] == "validation" and row["within_tolerance"] is within
        assert f"the data row's note states it: '{e.from_note}'" in row["note"]
        assert row["note"].startswith("known limit: ") is not within


def test_an_entry_renames_its_quantity_only_for_a_value_from_a_note(monkeypatch):
    """A catalogue entry that names its own quantity without from_note is refused in one
    line (its row's quantity is the row's); with from_note the quantity is the entry's."""
    from ssbsim.parameter_sets import experiments
    from ssbsim.simulator.errors import InputError

    entry = {"id": "choi2025-x", "csv": {"quantity": "delithiation_capacity_from_Si", "binder": "NBR in anisole"},
             "quantity": "delithiation_capacity_from_graphite", "preset": "choi2025",
             "measured": {"value": 285, "unit": "mAh/g_AM"}, "tolerance": {"abs": 15},
             "derive": {"kind": "plateau_split", "half": "delithiation", "cycle": 1, "part": "below"}}
    monkeypatch.setattr(experiments, "load", lambda paper: {"source": "Choi2025", "experiments": [entry]})
    with pytest.raises(InputError) as err:
        load_catalogue(["choi2025"])
    assert "\n" not in str(err.value) and str(err.value).startswith(
        "choi2025.toml, experiment 'choi2025-x': quantity= is only for a value from a row's note")
    entry["from_note"] = "graphite part about 285 for all three"
    (e,) = load_catalogue(["choi2025"])
    assert e.quantity == "delithiation_capacity_from_graphite" and e.csv["quantity"] == "delithiation_capacity_from_Si"
