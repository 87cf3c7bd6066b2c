"""Random strings and numbers on every option of `simulate` and `sweep`, in parameter
files and in protocol steps (seeded, bounded): each invocation either reaches the solver
(stubbed here) or stops with exit code 2 and one line 'ssbsim: error: ...'; never a
traceback, never another exit code."""

import json
import random

import pytest
from click.testing import CliRunner

from ssbsim.simulator import simulation, sweep
from ssbsim.simulator.cli import main
from ssbsim.simulator.simulation import parameter_values, resolve_conditions

TRIALS = 120


class _Reached(Exception):
    """The inputs were accepted and the solve would start."""


def _junk(rng):
    return rng.choice([
        "", " ", "-1", "0", "1e400", "nan", "inf", "-inf", "NaN", "1e-300", "3.5", "70", "0.01",
        "abc", "kwon2022", "DFN", "spm", "wet", "none", "pristine", "vulcanized", "ü∑", "\t", "1,5",
        "--json", "C/50", "10%", "Charge at 1C until 4.2 V", "x" * 300, str(rng.uniform(-1e3, 1e3)),
        str(rng.randint(-5, 2000)), "true", "{}", "[1]", "None", "../../etc/passwd",
    ])


SIMULATE_OPTIONS = ["--preset", "--binder", "--process", "--binder-content", "--pressure", "--c-rate",
                    "--cycles", "--temperature", "--model", "--protocol", "--step", "--repeat", "--params"]
SWEEP_OPTIONS = ["--preset", "--binder", "--process", "--binder-content", "--pressure", "--c-rate",
                 "--temperature", "--cycles", "--model", "--workers", "--params"]


@pytest.fixture
def stubbed(monkeypatch):
    def reached(*a, **k):
        raise _Reached

    monkeypatch.setattr(simulation.CellRunner, "run", reached)
    monkeypatch.setattr(sweep, "run_cases", reached)


def _check(res, args):
    if isinstance(res.exception, _Reached):
        return "ran"
    out = (res.stderr if hasattr(res, "stderr") else res.output).strip()
    assert res.exit_code == 2, (args, res.exit_code, res.output, res.exception)
    assert out.startswith("ssbsim: error:") and "\n" not in out and "Traceback" not in res.output, (args, out)
    return "refused"


def test_random_cli_options(stubbed, tmp_path):
    rng = random.Random(20261202)
    outcomes = {"ran": 0, "refused": 0}
    for _ in range(TRIALS):
        command, options = rng.choice([("simulate", SIMULATE_OPTIONS), ("sweep", SWEEP_OPTIONS)])
        args = [command]
        if rng.random() < 0.8:  # mostly a real preset, so the other options get checked
            args += ["--preset", rng.choice(["kwon2022", "choi2025", "emley2023", "jo2024-anode"])]
        for opt in rng.sample(options, rng.randint(1, 4)):
            args += [opt, _junk(rng)]
        if command == "sweep":
            args += ["--out", str(tmp_path / "s.h5"), "--no-figures"]
        outcomes[_check(CliRunner().invoke(main, args), args)] += 1
    assert outcomes["refused"] > TRIALS / 3  # the junk is mostly refused ...
    assert outcomes["ran"] > 0  # ... and valid picks get through


def test_random_parameter_files(stubbed, tmp_path):
    """Real and made-up names with random values; what is accepted must be finite and
    must not be a run condition."""
    rng = random.Random(7)
    names = [n for n, v in parameter_values(resolve_conditions("kwon2022")).items()
             if isinstance(v, (int, float))]
    outcomes = {"ran": 0, "refused": 0}
    for k in range(TRIALS):
        entries = {}
        for _ in range(rng.randint(1, 3)):
            name = rng.choice(names) if rng.random() < 0.7 else _junk(rng)
            entries[name] = rng.choice([rng.uniform(-1e3, 1e3), 10 ** rng.uniform(-12, 12), 0, -1, 1e300,
                                        _junk(rng), None, [1, 2], {"a": 1}, True])
        path = tmp_path / f"p{k}.json"
        path.write_text(json.dumps({"format": "ssbsim-parameters", "version": 1, "parameters": entries}))
        args = ["simulate", "--preset", "kwon2022", "--model", "SPM", "--params", str(path)]
        outcomes[_check(CliRunner().invoke(main, args), args)] += 1
    assert outcomes["refused"] > 0 and outcomes["ran"] > 0


def test_random_protocol_steps(stubbed):
    rng = random.Random(3)
    verbs = ["Charge", "Discharge", "Hold", "Rest", "Foo", ""]
    outcomes = {"ran": 0, "refused": 0}
    for _ in range(TRIALS):
        step = " ".join([rng.choice(verbs), rng.choice(["at", "for", "until", ""]), _junk(rng),
                         rng.choice(["C", "A", "V", "hours", ""]), rng.choice(["until", "for", ""]), _junk(rng),
                         rng.choice(["V", "C", "minutes", ""])]).strip()
        args = ["simulate", "--preset", "kwon2022", "--step", step, "--repeat", str(rng.randint(-1, 3))]
        outcomes[_check(CliRunner().invoke(main, args), args)] += 1
    assert outcomes["refused"] > 0
