"""A protocol's steps are judged as PyBaMM reads them: voltages in any unit it accepts
against the cell's window. Fast: no solves (the errors come before the model is built)."""

import pytest
from click.testing import CliRunner

from ssbsim.simulator.cli import main
from ssbsim.simulator.conditions import Conditions
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.protocol import Protocol


def _refused(steps, preset="kwon2022") -> str:
    with pytest.raises(InputError) as err:
        Conditions.resolve(preset, protocol=Protocol.from_steps(steps))
    assert "\n" not in str(err.value)
    return str(err.value)


def test_a_cut_off_in_millivolts_is_checked_against_the_window():
    msg = _refused(["Charge at 0.1C until 9000 mV"])
    assert "'Charge at 0.1C until 9000 mV': 9 V is outside the voltage window of preset 'kwon2022': " \
           "3 to 4.3 V" in msg
    assert "'Hold at 9000 mV" in _refused(["Hold at 9000 mV for 1 hour"])
    # the same voltages written in mV are the window's own
    inside = Protocol.from_steps(["Charge at 0.1C until 4300 mV", "Discharge at 0.1C until 3000 mV"])
    assert Conditions.resolve("kwon2022", protocol=inside).protocol == inside


def test_cli_refuses_a_millivolt_cut_off_outside_the_window_on_one_line():
    res = CliRunner().invoke(main, ["simulate", "--preset", "kwon2022", "--step", "Charge at 0.1C until 9000 mV"])
    assert res.exit_code == 2 and res.output.count("\n") == 1 and "9 V is outside the voltage window" in res.output
