"""Cycler files in: real BioLogic, Neware and Arbin files (tests/data/cycler/README.md), CSV,
the tidy table's units and sign, and one-line errors for bad files."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ssbsim.simulator.cli import main
from ssbsim.simulator.cycler_files import read_cycler_file
from ssbsim.simulator.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "cycler"
MPR, MPT = DATA / "yadg_mb.issue_95.mpr", DATA / "yadg_mb.issue_95.mpt"
NDAX, NDA = DATA / "navani_test.ndax", DATA / "navani_test.nda"
RES = DATA / "navani_arbin_example.res"


def test_biologic_mpr_and_mpt_of_one_run_agree_and_match_ec_labs_own_counter():
    pytest.importorskip("galvani")
    from galvani import BioLogic

    a, b = read_cycler_file(MPR), read_cycler_file(MPT)
    assert len(a) == len(b) == 33 and a.format == "BioLogic .mpr" and b.format == "BioLogic .mpt"
    np.testing.assert_allclose(a.time_s, b.time_s, atol=1e-5)
    np.testing.assert_allclose(a.voltage_V, b.voltage_V, atol=1e-6)
    np.testing.assert_allclose(a.current_A, b.current_A, atol=1e-7)
    np.testing.assert_array_equal(a.step, b.step)
    # the run: rest, charge at +100 mA (EC-Lab's sign), discharge at -65 mA
    assert a.step.tolist() == [1] * 11 + [2] * 11 + [3] * 11
    assert np.all(a.current_A[a.step == 1] == 0)
    np.testing.assert_allclose(a.current_A[a.step == 2][1:], -0.100, rtol=1e-3)  # charge < 0
    np.testing.assert_allclose(a.current_A[a.step == 3][1:], 0.065, rtol=1e-3)  # discharge > 0
    assert 2.32 < a.voltage_V.min() and a.voltage_V.max() < 2.34
    # capacities integrated from the current vs EC-Lab's own Q charge/discharge counter
    with open(MPR, "rb") as fh:
        q = BioLogic.MPRfile(fh).data["Q charge/discharge/mA.h"]
    cap = a.capacities_mAh()
    assert len(cap) == 1
    assert cap[0]["charge_mAh"] == pytest.approx(q[a.step == 2].max(), rel=2e-3)
    assert cap[0]["discharge_mAh"] == pytest.approx(-q[a.step == 3].min(), rel=2e-3)


@pytest.mark.parametrize("path", [NDAX, NDA])
def test_neware_files_match_newares_own_capacity_counters(path):
    NewareNDA = pytest.importorskip("NewareNDA")
    d = read_cycler_file(path)
    ref = NewareNDA.read(str(path), log_level="CRITICAL")
    assert len(d) == len(ref)
    assert np.all(np.diff(d.time_s) >= 0) and d.time_s[0] == 0
    # sign: Neware's charge steps carry a positive current; ours are negative
    chg = ref["Status"].str.contains("_Chg").to_numpy()
    dchg = ref["Status"].str.contains("DChg").to_numpy()
    assert np.all(d.current_A[chg] <= 0) and np.all(d.current_A[dchg] >= 0)
    assert np.abs(d.current_A).max() < 1e-3  # mA converted to A (these cells run at < 1 mA)
    for c in d.capacities_mAh():
        rows = ref["Cycle"].to_numpy() == c["cycle"]
        assert c["charge_mAh"] == pytest.approx(ref["Charge_Capacity(mAh)"][rows].max(), rel=0.01, abs=1e-6)
        assert c["discharge_mAh"] == pytest.approx(ref["Discharge_Capacity(mAh)"][rows].max(), rel=0.01, abs=1e-6)
    # the duration is the sum of the steps' durations, as the timestamps say (1 s resolution)
    span = (ref["Timestamp"].iloc[-1] - ref["Timestamp"].iloc[0]).total_seconds()
    assert d.time_s[-1] == pytest.approx(span, abs=2.0)


def test_ndax_cycles_steps_and_fit_series():
    pytest.importorskip("NewareNDA")
    d = read_cycler_file(NDAX)
    assert d.step.tolist()[0] == 1 and sorted(set(d.step.tolist())) == [1, 2, 3, 4]
    assert set(d.cycle.tolist()) == {1}
    assert 1.49 < d.voltage_V.min() and d.voltage_V.max() < 4.41
    ts = d.to_timeseries()  # the step boundaries' repeated instants are dropped
    assert np.all(np.diff(ts.time_s) > 0) and len(ts.time_s) == len(d) - 3


def test_arbin_res_units_sign_and_arbins_own_capacity_counters():
    """The Arbin file read without mdbtools: its rows in Data_Point order, time from 0,
    current in A with charge < 0 (a charge step's voltage rises), cycles and steps, and
    the integrated capacities against Arbin's own Charge/Discharge_Capacity [Ah]."""
    access_parser = pytest.importorskip("access_parser")
    from ssbsim.simulator.cycler_files import load_series

    d = read_cycler_file(RES)
    raw = access_parser.AccessParser(str(RES)).parse_table("Channel_Normal_Table")
    order = np.argsort(raw["Data_Point"])
    ref = {k: np.asarray(raw[k])[order] for k in ("Test_Time", "Current", "Charge_Capacity", "Discharge_Capacity")}
    assert len(d) == 2150 and d.format == "Arbin .res"
    assert d.time_s[0] == 0 and np.all(np.diff(d.time_s) > 0)
    assert d.time_s[-1] == pytest.approx(ref["Test_Time"][-1] - ref["Test_Time"][0])
    assert d.time_s[-1] / 3600 == pytest.approx(96.04, abs=0.01)  # 48 h rest, 4 cycles of ~11.9 h
    np.testing.assert_array_equal(d.current_A, -ref["Current"])  # A, Arbin's charge > 0 negated
    np.testing.assert_allclose(np.abs(d.current_A[d.current_A != 0]), 86.5e-6, rtol=2e-3)
    assert 2.9999 < d.voltage_V.min() and d.voltage_V.max() < 4.3001
    assert d.cycle.tolist()[0] == 1 and sorted(set(d.cycle.tolist())) == [1, 2, 3, 4, 5]
    assert d.step.max() == 17  # rest, then (charge, discharge, rest, loop step) x 4
    for s in np.unique(d.step):
        i, v = d.current_A[d.step == s], d.voltage_V[d.step == s]
        if np.all(i < 0):  # charge: the voltage rises to 4.3 V
            assert v[-1] - v[0] > 0.3 and v.max() == pytest.approx(4.3, abs=1e-3)
        elif np.all(i > 0):  # discharge: it falls to 3.0 V
            assert v[0] - v[-1] > 1.0 and v.min() == pytest.approx(3.0, abs=1e-3)
    caps = d.capacities_mAh()
    assert sum(c["charge_mAh"] > 0.47 for c in caps) == 4
    for c in caps:  # within 1 %: the first logging interval of each step is not integrated
        rows = d.cycle == c["cycle"]
        assert c["charge_mAh"] == pytest.approx(1e3 * ref["Charge_Capacity"][rows].max(), rel=0.01, abs=1e-6)
        assert c["discharge_mAh"] == pytest.approx(1e3 * ref["Discharge_Capacity"][rows].max(), rel=0.01, abs=1e-6)
    ts = load_series(RES, capacity_Ah=0.48e-3)  # what ssbsim fit --cycler reads
    assert len(ts.time_s) == len(d) and np.all(np.diff(ts.time_s) > 0)


def _write(path, text):
    path.write_text(text)
    return path


def test_csv_with_cycle_step_and_pressure_in_kpa(tmp_path):
    f = _write(tmp_path / "run.csv", "t,I,U,cyc,st,p\n0,0.001,4.0,1,1,7000\n10,0.001,3.9,1,1,7000\n"
               "20,-0.001,3.95,2,2,6900\n30,-0.001,4.05,2,2,6950\n")
    d = read_cycler_file(f, csv_columns=("t", "I", "U"), cycle_column="cyc", step_column="st",
                         pressure_column="p", pressure_unit="kPa", charge_positive=True)
    assert d.current_A.tolist() == [-0.001, -0.001, 0.001, 0.001]  # charge-positive flipped
    assert d.cycle.tolist() == [1, 1, 2, 2] and d.step.tolist() == [1, 1, 2, 2]
    np.testing.assert_allclose(d.pressure_MPa, [7.0, 7.0, 6.9, 6.95])
    cap = d.capacities_mAh()
    assert cap[0]["charge_mAh"] == pytest.approx(0.001 * 10 / 3.6) and cap[0]["discharge_mAh"] == 0
    assert cap[1]["discharge_mAh"] == pytest.approx(0.001 * 10 / 3.6)


@pytest.mark.parametrize("name, text, message", [
    ("decreasing.csv", "time,current,voltage\n0,0,3\n10,0,3\n5,0,3\n", "does not increase"),
    ("missing.csv", "time,current\n0,0\n1,0\n", r"missing column\(s\) 'voltage'"),
])
def test_bad_csv_files_give_one_line_errors(tmp_path, name, text, message):
    f = _write(tmp_path / name, text)
    with pytest.raises(InputError, match=message) as e:
        read_cycler_file(f)
    assert str(f) in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("src, keep", [(MPR, 0.5), (MPT, 0.5), (NDAX, 0.5), (RES, 0.5), (RES, 0.9)])
def test_truncated_files_are_named_as_such(tmp_path, src, keep):
    pytest.importorskip("galvani")
    pytest.importorskip("NewareNDA")
    pytest.importorskip("access_parser")
    data = src.read_bytes()
    f = tmp_path / src.name
    f.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(InputError, match="truncated or corrupt") as e:
        read_cycler_file(f)
    assert str(f) in str(e.value) and "\n" not in str(e.value)


def test_wrong_format_missing_file_and_unknown_suffix(tmp_path):
    f = tmp_path / "renamed.mpr"
    f.write_bytes(NDAX.read_bytes())
    with pytest.raises(InputError, match="is not a BioLogic .mpr file"):
        read_cycler_file(f)
    with pytest.raises(InputError, match="does not exist"):
        read_cycler_file(tmp_path / "absent.ndax")
    with pytest.raises(InputError, match="unknown format '.xyz'"):
        read_cycler_file(_write(tmp_path / "a.xyz", "x"))
    f = tmp_path / "renamed.res"
    f.write_bytes(MPR.read_bytes())
    with pytest.raises(InputError, match=r"is not an Arbin \.res file \(it starts with b'BIO-LOGIC") as e:
        read_cycler_file(f)
    assert str(f) in str(e.value) and "\n" not in str(e.value)


def test_time_going_back_in_a_real_file_is_refused(tmp_path):
    """Two records of the .mpt swapped: galvani reads it, ssbsim refuses it."""
    pytest.importorskip("galvani")
    lines = MPT.read_bytes().split(b"\n")
    header = int(lines[1].split(b":")[1])
    k = header + 5  # a data record
    lines[k], lines[k + 1] = lines[k + 1], lines[k]
    f = tmp_path / "swapped.mpt"
    f.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError, match=r"record \d+: time .* does not increase"):
        read_cycler_file(f)


def test_missing_pressure_channel_is_named():
    pytest.importorskip("NewareNDA")
    with pytest.raises(InputError, match="has no pressure column 'Pressure'.*columns found: Index"):
        read_cycler_file(NDAX, pressure_column="Pressure")


def test_data_show_cli_json_and_text():
    pytest.importorskip("NewareNDA")
    res = CliRunner().invoke(main, ["data", "show", str(NDAX), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["rows"] == 1464 and d["columns"]["current"] == "Current(mA)"
    assert d["sign_convention"].startswith("current_A > 0 on discharge")
    assert d["capacities"][0]["charge_mAh"] == pytest.approx(0.593, rel=0.01)
    res = CliRunner().invoke(main, ["data", "show", str(NDAX)])
    assert res.exit_code == 0 and "1464 records" in res.output and "0.59277" in res.output
    res = CliRunner().invoke(main, ["data", "show", "absent.mpr"])
    assert res.exit_code == 2 and res.output.count("\n") == 1 and "absent.mpr does not exist" in res.output


def test_data_show_on_an_arbin_file():
    pytest.importorskip("access_parser")
    res = CliRunner().invoke(main, ["data", "show", str(RES), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["format"] == "Arbin .res" and d["rows"] == 2150 and d["cycles"] == 5
    assert d["columns"] == {"time": "Test_Time", "current": "Current", "voltage": "Voltage",
                            "cycle": "Cycle_Index", "step": "Step_Index"}
    assert "Arbin" in d["sign_convention"] and d["current_range_A"][0] < 0 < d["current_range_A"][1]
    assert d["capacities"][0]["charge_mAh"] == pytest.approx(0.4835, rel=1e-3)
    res = CliRunner().invoke(main, ["data", "show", str(RES)])
    assert res.exit_code == 0 and "Arbin .res, 2150 records over 96.04 h, 5 cycle(s)" in res.output
    assert "current <- 'Current'" in res.output and "0.4835" in res.output


def test_fit_series_from_a_vendor_file_and_from_csv_of_any_suffix(tmp_path):
    """What ``ssbsim fit --cycler`` reads: a Neware file as a strictly increasing series
    checked against the cell's capacity, and a CSV named .txt still as CSV."""
    pytest.importorskip("NewareNDA")
    from ssbsim.simulator.cycler_files import load_series

    ts = load_series(NDAX, capacity_Ah=0.6e-3)
    assert np.all(np.diff(ts.time_s) > 0) and ts.voltage_V.max() == pytest.approx(4.3998, abs=1e-3)
    with pytest.raises(InputError, match="implausible"):  # 0.12 mA is beyond 20C of a 1 uAh cell
        load_series(NDAX, capacity_Ah=1e-9 * 1e3)
    f = _write(tmp_path / "run.txt", "time,current,voltage\n0,0.001,3.7\n60,0.001,3.6\n")
    assert load_series(f).current_A.tolist() == [0.001, 0.001]


def test_data_show_takes_fits_column_options_and_its_own(tmp_path):
    """``data show`` reads a CSV with the options ``fit`` takes (``--cycler-columns``,
    ``--cycler-units``) and with its former names, the same way."""
    path = tmp_path / "c.csv"
    path.write_text("t,i,v\n0,1,3000\n10,1,3100\n20,1,3200\n")
    outs = [CliRunner().invoke(main, ["data", "show", str(path), "--json", f"--{k}-columns", "t,i,v",
                                      f"--{k}-units", "s,mA,mV"]) for k in ("cycler", "csv")]
    assert all(r.exit_code == 0 for r in outs), [r.output for r in outs]
    d = json.loads(outs[0].stdout)
    assert d == json.loads(outs[1].stdout) and d["columns"]["voltage"] == "v"
    assert d["voltage_range_V"] == pytest.approx([3.0, 3.2])


def test_an_implausible_vendor_current_gets_no_unit_hint():
    """A vendor file's units come from the file: a current too large for the cell is
    said as read, without the --cycler-units hint a CSV gets (which the reader ignores)."""
    pytest.importorskip("galvani")
    from ssbsim.simulator.cycler_files import load_series

    with pytest.raises(InputError) as err:
        load_series(MPR, capacity_Ah=2.08e-3)
    msg = str(err.value)
    assert "column 'I/mA' read as A" in msg and "(C/1000 to 20C)" in msg and "--cycler-units" not in msg
