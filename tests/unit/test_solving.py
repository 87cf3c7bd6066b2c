"""The solver ssbsim builds: tolerances per model, and compiled functions on request."""

import pytest
from click.testing import CliRunner

from ssbsim.simulator.cli import main
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.solving import COMPILE_ENV, SOLVER_TOLERANCES, compiled, idaklu_solver


@pytest.mark.parametrize("value, on", [("", False), ("0", False), ("1", True), (" 1 ", True)])
def test_the_compile_setting_is_read_from_the_environment(monkeypatch, value, on):
    monkeypatch.setenv(COMPILE_ENV, value)
    assert compiled() is on
    solver = idaklu_solver("DFN")
    assert bool(solver._options["compile"]) is on
    assert (solver.rtol, solver.atol) == (SOLVER_TOLERANCES["DFN"]["rtol"], SOLVER_TOLERANCES["DFN"]["atol"])


def test_a_retry_is_ten_times_tighter_whether_compiled_or_not(monkeypatch):
    monkeypatch.setenv(COMPILE_ENV, "1")
    solver = idaklu_solver("SPM", retry=True)
    assert solver.rtol == pytest.approx(0.1 * SOLVER_TOLERANCES["SPM"]["rtol"]) and solver._options["compile"]


@pytest.mark.parametrize("value", ["yes", "true", "2"])
def test_a_bad_compile_setting_is_a_one_line_error_naming_it(monkeypatch, value):
    monkeypatch.setenv(COMPILE_ENV, value)
    with pytest.raises(InputError, match=rf"^{COMPILE_ENV}='{value}' is not allowed: 1 .* or 0 / unset$"):
        compiled()
    r = CliRunner().invoke(main, ["presets"])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and COMPILE_ENV in r.output


def test_the_cli_flag_turns_compiling_on_for_the_command(monkeypatch):
    monkeypatch.setenv(COMPILE_ENV, "0")  # restored after the test
    r = CliRunner().invoke(main, ["--compile", "presets"])
    assert r.exit_code == 0 and compiled()
