"""Bad inputs of every class, as a user gives them on the command line: each is refused
before anything is solved, with exit code 2 and one line on stderr that starts with
"ssbsim: error:" and names what is wrong; never a traceback.

Classes: contradictory or out-of-range options; parameter files that are binary, not
UTF-8, not finite, unphysical or that set run conditions; data and cycler files with a
missing condition column, a channel in the wrong unit, or binary content; unknown fit
parameters; outputs that cannot be written; an unreachable scheduler.
"""

import json
import os
import pickle
import shutil
import subprocess

import numpy as np
import pytest
from click.testing import CliRunner

from ssbsim.simulator.cli import main

E_F = "Composite framework modulus [Pa]"
PARAM = f"{E_F}:1e8:1e10:log"
POINTS_HEAD = "source,binder,stack_pressure_MPa,c_rate,temperature_C,quantity,value,unit\n"


def _params(values):
    return json.dumps({"format": "ssbsim-parameters", "version": 1, "parameters": values})


def _cycler(current_A, voltage_V):
    t = np.linspace(0, 3600, 40)
    return "time,current,voltage\n" + "".join(f"{a:g},{current_A:g},{voltage_V + a / 1e4:g}\n" for a in t)


FILES = {  # name -> content (str: UTF-8 text; bytes: written as is)
    "pickle.json": pickle.dumps({"parameters": {E_F: 1e9}}),
    "latin1.json": '{"format": "ssbsim-parameters", "parameters": {"Électrode": 1}}'.encode("latin-1"),
    "nul.csv": b"time,current,voltage\n0,\x00\x01,3\n",
    "thick0.json": _params({"Positive electrode thickness [m]": 0.0}),
    "modulus.json": _params({E_F: -1e9}),
    "conductivity.json": _params({"Positive electrode conductivity [S.m-1]": -1.0}),
    "radius.json": _params({"Positive particle radius [m]": -5e-6}),
    "porosity.json": _params({"Positive electrode porosity": 1.5}),
    "pressure.json": _params({"Stack pressure [Pa]": 7e6}),
    "temperature.json": _params({"Ambient temperature [K]": 350.0}),
    "overfull.json": _params({"Positive electrode active material volume fraction": 0.99}),
    "loading.json": _params({"Positive electrode active material mass loading [kg.m-2]": 0.16}),
    "nan.json": '{"format": "ssbsim-parameters", "parameters": {"%s": NaN}}' % E_F,
    "no_pressure.csv": "source,binder,c_rate,temperature_C,quantity,value,unit\n"
                       "K,pristine,0.1,30,discharge_capacity,151,mAh/g\n",
    "empty_pressure.csv": POINTS_HEAD + "K,pristine,,0.1,30,discharge_capacity,151,mAh/g\n",
    "points.csv": POINTS_HEAD + "K,pristine,2,0.1,30,discharge_capacity,151,mAh/g\n",
    "cycler_mV.csv": _cycler(-0.0004, 3500.0),  # a voltage in mV, declared V
    "cycler_mA.csv": _cycler(-0.4, 3.5),  # a current in mA, declared A
    "cycler_ok.csv": _cycler(-0.0004, 3.5),
    "afile": "a file where a folder is needed",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    for name, content in FILES.items():
        (d / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    (d / "folder.json").mkdir()
    return d


SIM = ["simulate", "--preset", "kwon2022", "--model", "SPM"]
FIT = ["fit", "--preset", "kwon2022", "--model", "SPM", "--starts", "1", "--out", "{d}/fit.json"]
SWEEP = ["sweep", "--preset", "kwon2022", "--model", "SPM", "--no-figures", "--out", "{d}/s.h5"]

CASES = [  # (id, argv with {d} for the files' folder, words the one line must contain)
    # contradictory or out-of-range options
    ("process-none-with-binder", SIM + ["--process", "none", "--binder", "vulcanized"],
     ["--process none", "--binder vulcanized"]),
    ("dry-on-wet-preset", SIM + ["--process", "dry"], ["--process dry", "'kwon2022'", "wet (pristine"]),
    ("binder-of-other-process", ["simulate", "--preset", "emley2023", "--binder", "nbr", "--process", "dry"],
     ["--binder nbr", "wet process", "--process dry", "ptfe"]),
    ("content-without-binder", SIM + ["--process", "none", "--binder-content", "2"], ["binder content=2 wt%"]),
    ("unknown-model", SIM + ["--model", "XFN"], ["--model", "XFN"]),
    ("unknown-fixture", SIM + ["--fixture", "rigd"], ["--fixture", "'rigd'", "'rigid'", "'constant pressure'"]),
    ("fixture-without-mechanics", SIM + ["--no-mechanics", "--fixture", "spring"],
     ["fixture='spring' needs mechanics", "--no-mechanics"]),
    ("zero-cycles", SIM + ["--cycles", "0"], ["cycles=0"]),
    ("thickness-bands", SIM + ["--thickness-bands", "-1"], ["thickness_bands=-1", "0 to 20"]),
    ("sweep-contradiction", SWEEP + ["--process", "none", "--binder", "pristine"], ["--process none"]),
    ("workers-0", SWEEP + ["--workers", "0"], ["--workers", "0"]),
    ("workers-negative", SWEEP + ["--workers", "-3"], ["--workers", "-3"]),
    ("bench-particles", ["bench", "--particles", "-5"], ["--particles", "-5"]),
    ("bench-repeats", ["bench", "--repeats", "0"], ["--repeats", "0"]),
    ("fit-starts", FIT + ["--data", "{d}/points.csv", "--param", PARAM, "--starts", "0"], ["--starts"]),
    ("fit-sigma", FIT + ["--cycler", "{d}/cycler_ok.csv", "--cycler-pressure", "70", "--param", PARAM,
                         "--voltage-sigma", "0"], ["--voltage-sigma"]),
    ("fit-alias", FIT + ["--data", "{d}/points.csv", "--param", PARAM, "--binder-alias", "BR"],
     ["--binder-alias 'BR'"]),
    # parameter files
    ("params-pickle", SIM + ["--params", "{d}/pickle.json"], ["pickle.json", "pickle"]),
    ("params-latin1", SIM + ["--params", "{d}/latin1.json"], ["latin1.json", "not UTF-8"]),
    ("params-folder", SIM + ["--params", "{d}/folder.json"], ["--params"]),
    ("params-missing", SIM + ["--params", "{d}/nope.json"], ["nope.json", "does not exist"]),
    ("params-nan", SIM + ["--params", "{d}/nan.json"], ["nan.json", "NaN"]),
    ("params-thickness-0", SIM + ["--params", "{d}/thick0.json"],
     ["'Positive electrode thickness [m]'=0", "allowed range"]),
    ("params-negative-modulus", SIM + ["--params", "{d}/modulus.json"], [f"'{E_F}'=-1e+09", "> 0 Pa"]),
    ("params-negative-conductivity", SIM + ["--params", "{d}/conductivity.json"], ["conductivity", "=-1"]),
    ("params-negative-radius", SIM + ["--params", "{d}/radius.json"], ["'Positive particle radius [m]'=-5e-06"]),
    ("params-porosity", SIM + ["--params", "{d}/porosity.json"], ["porosity'=1.5", "0 (excluded) to 1"]),
    ("params-stack-pressure", SIM + ["--params", "{d}/pressure.json"], ["'Stack pressure [Pa]'", "--pressure"]),
    ("params-temperature", SIM + ["--params", "{d}/temperature.json"],
     ["'Ambient temperature [K]'", "--temperature"]),
    ("params-overfull", SIM + ["--params", "{d}/overfull.json"],
     ["'Positive electrode active material volume fraction'=0.99", "sum to 1.5 > 1", "sum <= 1"]),
    ("params-mass-loading", SIM + ["--params", "{d}/loading.json"],
     ["loading.json", "mass loading [kg.m-2]'=0.16 cannot be set", "thickness"]),
    ("sweep-params-overfull", SWEEP + ["--params", "{d}/overfull.json"], ["sum to 1.5 > 1"]),
    ("sweep-params-pickle", SWEEP + ["--params", "{d}/pickle.json"], ["pickle"]),
    # data and cycler files
    ("points-without-pressure", FIT + ["--data", "{d}/no_pressure.csv", "--param", PARAM],
     ["no_pressure.csv", "missing column(s) stack_pressure_MPa"]),
    ("points-empty-pressure", FIT + ["--data", "{d}/empty_pressure.csv", "--param", PARAM],
     ["line 2", "'stack_pressure_MPa' is empty"]),
    ("points-pickle", FIT + ["--data", "{d}/pickle.json", "--param", PARAM], ["data file", "pickle"]),
    ("cycler-mV-as-V", FIT + ["--cycler", "{d}/cycler_mV.csv", "--cycler-pressure", "70", "--param", PARAM],
     ["cycler_mV.csv", "'voltage'", "in V", "3500", "mV"]),
    ("cycler-V-as-mV", FIT + ["--cycler", "{d}/cycler_ok.csv", "--cycler-pressure", "70", "--param", PARAM,
                              "--cycler-units", "s,A,mV"], ["'voltage'", "in mV", "not mV"]),
    ("cycler-mA-as-A", FIT + ["--cycler", "{d}/cycler_mA.csv", "--cycler-pressure", "70", "--param", PARAM],
     ["cycler_mA.csv", "'current'", "in A", "-0.4", "20C"]),
    ("cycler-binary", FIT + ["--cycler", "{d}/nul.csv", "--cycler-pressure", "70", "--param", PARAM],
     ["cycler file", "binary"]),
    ("cycler-without-pressure", FIT + ["--cycler", "{d}/cycler_ok.csv", "--param", PARAM], ["--cycler-pressure"]),
    ("cycler-columns", FIT + ["--cycler", "{d}/cycler_ok.csv", "--cycler-pressure", "70", "--param", PARAM,
                              "--cycler-columns", "t,i"], ["--cycler-columns"]),
    # fit parameters
    ("param-unknown", FIT + ["--data", "{d}/points.csv", "--param", "Composite framework modulu [Pa]:1e8:1e10"],
     ["'Composite framework modulu [Pa]'", "did you mean", f"'{E_F}'"]),
    ("param-function", FIT + ["--data", "{d}/points.csv", "--param", "Electrolyte conductivity [S.m-1]:0.1:1"],
     ["is a function"]),
    ("param-unphysical-bound", FIT + ["--data", "{d}/points.csv", "--param", f"{E_F}:-1:1e10"], ["=-1", "> 0"]),
    ("param-run-condition", FIT + ["--data", "{d}/points.csv", "--param", "Stack pressure [Pa]:1e6:1e8"],
     ["--pressure"]),
    ("param-nominal-capacity", FIT + ["--data", "{d}/points.csv", "--param", "Nominal cell capacity [A.h]:1e-3:3e-3"],
     ["'Nominal cell capacity [A.h]'", "cannot be set", "c_rate="]),
    ("param-overfull-bound", FIT + ["--data", "{d}/points.csv", "--param",
                                    "Positive electrode active material volume fraction:0.3:0.99"],
     ["bound", "=0.99", "sum to 1.5 > 1"]),
    # outputs that cannot be written
    ("sweep-out-under-a-file", SWEEP[:-1] + ["{d}/afile/s.h5"], ["--out", "afile is a file"]),
    ("sweep-out-uncreatable", SWEEP[:-1] + ["/sys/ssbsim-test/s.h5"], ["--out", "cannot write"]),
    ("sweep-out-is-a-folder", SWEEP[:-1] + ["{d}"], ["--out"]),
    ("fit-out-under-a-file", FIT[:-1] + ["{d}/afile/fit.json", "--data", "{d}/points.csv", "--param", PARAM],
     ["--out", "afile is a file"]),
    ("plot-not-a-sweep", ["plot", "{d}/pickle.json"], ["pickle.json", "not a readable HDF5 file"]),
    ("scheduler-malformed", SWEEP + ["--scheduler", "nonsense"], ["--scheduler nonsense"]),
]


def _run(argv, d):
    res = CliRunner().invoke(main, [a.format(d=d) for a in argv])
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception  # a traceback: the test fails with it
    return res


def _assert_one_line(res, words):
    assert res.exit_code == 2, (res.exit_code, res.output)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("ssbsim: error: ") and "Traceback" not in res.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


@pytest.mark.parametrize("argv, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_with_exit_code_2(files, argv, words, monkeypatch):
    from ssbsim.simulator import simulation

    def no_solve(*a, **k):  # every error must come before a solve
        raise AssertionError("a solve started")

    monkeypatch.setattr(simulation.CellRunner, "run", no_solve)
    _assert_one_line(_run(argv, files), words)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folders_are_refused(files, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        _assert_one_line(_run(SWEEP[:-1] + [str(ro / "s.h5")], files), ["--out", "cannot write"])
        _assert_one_line(_run(["plot", "x.h5", "--out-dir", str(ro)], files), [])
    finally:
        ro.chmod(0o755)


def test_plot_into_an_unwritable_folder(files, tmp_path):
    from ssbsim.simulator.store import SweepStore

    SweepStore(tmp_path / "sweep.h5", "h", 0, "0")
    _assert_one_line(_run(["plot", str(tmp_path / "sweep.h5"), "--out-dir", "/sys/ssbsim-test"], files),
                     ["--out-dir", "cannot write"])


def test_unreachable_scheduler_is_one_line_within_seconds(files):
    import time

    t0 = time.time()
    _assert_one_line(_run(SWEEP + ["--scheduler", "tcp://127.0.0.1:1"], files),
                     ["--scheduler tcp://127.0.0.1:1", "within 5 s"])
    assert time.time() - t0 < 30


def test_model_name_is_case_insensitive(monkeypatch):
    from ssbsim.simulator import simulation

    seen = {}
    monkeypatch.setattr(simulation, "simulate", lambda preset, **kw: seen.update(kw) or (_ for _ in ()).throw(
        simulation.InputError("stop")))
    CliRunner().invoke(main, ["simulate", "--preset", "kwon2022", "--model", "spme"])
    assert seen["model"] == "SPMe"


@pytest.mark.parametrize("argv", [["simulate", "--preset", "kwon2022", "--params", "{d}/pickle.json"],
                                  ["sweep", "--workers", "0"]])
def test_as_a_real_process_no_traceback(files, argv):
    """The installed ``ssbsim`` as a user runs it (not click's test runner)."""
    out = subprocess.run([shutil.which("ssbsim"), *(a.format(d=files) for a in argv)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and out.stderr.startswith("ssbsim: error: ")


@pytest.mark.parametrize("call, match", [
    (lambda: __import__("ssbsim").simulate("kwon2022", process="none", binder="vulcanized"), "--process none"),
    (lambda: __import__("ssbsim").simulate("kwon2022", parameters={"Stack pressure [Pa]": 1e6}), "--pressure"),
    (lambda: __import__("ssbsim").simulate("kwon2022", parameters={"Positive electrode thickness [m]": 0}),
     "thickness"),
    (lambda: __import__("ssbsim.simulator.sweep").simulator.sweep.sweep(workers=0), "workers=0"),
    (lambda: __import__("ssbsim").simulate("kwon2022", mechanics="False"), "mechanics='False' is not one of True"),
    (lambda: __import__("ssbsim").simulate("kwon2022", pressure=True), "pressure=True is not a number"),
    (lambda: __import__("ssbsim").simulate("kwon2022", parameters={
        "Positive electrode active material volume fraction": 0.99}), "sum to 1.5 > 1"),
    (lambda: __import__("ssbsim").simulate("kwon2022", parameters={"Nominal cell capacity [A.h]": 1.0}),
     "'Nominal cell capacity \\[A.h\\]'=1 cannot be set"),
], ids=["contradiction", "run-condition", "thickness", "workers", "mechanics-text", "pressure-bool",
        "overfull", "nominal-capacity"])
def test_the_python_api_applies_the_same_checks(call, match, monkeypatch):
    from ssbsim.simulator import simulation
    from ssbsim.simulator.errors import InputError

    monkeypatch.setattr(simulation.CellRunner, "run", lambda *a: pytest.fail("a solve started"))
    with pytest.raises(InputError, match=match):
        call()
