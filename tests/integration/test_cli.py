"""The ssbsim command line as a user runs it."""

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from ssbsim.simulator.cli import main

REQUIRED = ("charge_capacity_mAh_g", "discharge_capacity_mAh_g", "coulombic_efficiency",
            "average_discharge_voltage_V")


def test_simulate_json_has_documented_keys():
    res = CliRunner().invoke(main, ["simulate", "--preset", "emley2023", "--model", "SPM", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    for key in REQUIRED:
        assert d[key] > 0
    assert d["preset"] == "emley2023" and d["binder"] == "nbr"
    assert len(d["cycles"]) == 1 and all(d["cycles"][0][k] == d[k] for k in REQUIRED)
    assert "lithiation_capacity_mAh_g" not in d  # a cathode: charge / discharge say it


def test_simulate_json_cycles_list():
    res = CliRunner().invoke(main, ["simulate", "--preset", "emley2023", "--model", "SPM",
                                    "--cycles", "2", "--process", "dry", "--json"])
    d = json.loads(res.stdout)
    assert d["process"] == "dry" and d["binder"] == "ptfe"
    assert len(d["cycles"]) == 2 and all(set(REQUIRED) <= set(c) for c in d["cycles"])


def test_anode_half_cell_names_lithiation_and_delithiation():
    """In an anode half cell the discharge lithiates the anode and the charge delithiates
    it; the JSON says both, per cycle and for the first cycle, and CE = delith / lith."""
    res = CliRunner().invoke(main, ["simulate", "--preset", "choi2025", "--model", "SPM", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    for c in [d, *d["cycles"]]:
        assert c["lithiation_capacity_mAh_g"] == c["discharge_capacity_mAh_g"] > 0
        assert c["delithiation_capacity_mAh_g"] == c["charge_capacity_mAh_g"] > 0
        assert c["coulombic_efficiency"] == pytest.approx(
            c["delithiation_capacity_mAh_g"] / c["lithiation_capacity_mAh_g"], rel=1e-12)


def test_plain_output_is_a_short_summary():
    res = CliRunner().invoke(main, ["simulate", "--preset", "kwon2022", "--model", "SPM",
                                    "--binder", "vulcanized", "--pressure", "2"])
    assert res.exit_code == 0
    assert "discharge" in res.output and "mAh/g" in res.output and "2 MPa" in res.output
    assert len(res.output.splitlines()) <= 5


@pytest.mark.parametrize("args, words", [
    (["--preset", "nope"], ["preset='nope'", "allowed:", "kwon2022"]),
    (["--preset", "kwon2022", "--binder", "epoxy"], ["binder='epoxy'", "pristine"]),
    (["--preset", "kwon2022", "--pressure", "-5"], ["pressure=-5 MPa", "0 to 500 MPa"]),
    (["--preset", "kwon2022", "--c-rate", "-1"], ["C-rate=-1 C", "outside"]),
    (["--preset", "kwon2022", "--binder-content", "15"], ["binder content=15 wt%", "0 to 10 wt%"]),
    (["--preset", "kwon2022", "--temperature", "200"], ["temperature=200 C", "Kwon2022", "-20 to 80 C"]),
    (["--preset", "kwon2022", "--process", "spray"], ["process='spray'", "wet, dry, none"]),
])
def test_bad_input_exits_with_one_line_error(args, words):
    exe = shutil.which("ssbsim")
    out = subprocess.run([exe, "simulate", *args], capture_output=True, text=True)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    for w in words:
        assert w in lines[0]


def test_presets_command_lists_every_preset():
    from ssbsim.simulator.presets import PRESETS

    res = CliRunner().invoke(main, ["presets"])
    assert all(name in res.output for name in PRESETS)


def test_a_binder_without_measured_properties_says_whose_it_takes(simulate_cached):
    """Kwon's S1 and S3 vulcanized BR were not tested mechanically and take S2's
    properties: the list and the result say so, and the result is S2's."""
    res = CliRunner().invoke(main, ["presets"])
    assert "vulcanized-s1 (= vulcanized: its own properties not measured)" in res.output
    s1 = simulate_cached("kwon2022", binder="vulcanized-s1", pressure=2.0, model="SPM")
    s2 = simulate_cached("kwon2022", binder="vulcanized", pressure=2.0, model="SPM")
    assert s1.discharge_capacity_mAh_g == s2.discharge_capacity_mAh_g
    assert "binder 'vulcanized-s1': its own mechanical properties were not measured; it takes those of " \
        "'vulcanized' (where parameters set do not override them)" in s1.notes
    assert not any(n.startswith("binder ") for n in s2.notes)
