"""A protocol's steps are judged as PyBaMM reads them: voltages in any unit it accepts
against the cell's window, rates, currents and powers (as C-rates of the preset's 1C)
against the --c-rate range, and no signed rate against the verb's direction. Fast: no
solves (the errors come before the model is built)."""

import pytest
from click.testing import CliRunner

from ssbsim.simulator.cli import main
from ssbsim.simulator.conditions import C_RATE_RANGE, Conditions
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.presets import get_preset
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


@pytest.mark.parametrize("step, shown", [
    ("Charge at -0.1C until 4.3 V", "C-rate -0.1 C must be above 0"),
    ("Discharge at -2 mA until 3 V", "current -0.002 A must be above 0"),
    ("Charge at 0C until 4.3 V", "C-rate 0 C must be above 0"),
    ("Discharge at 0 W until 3 V", "power 0 W must be above 0"),
    ("Hold at 0 A for 1 hour", "current 0 A must be above 0"),
])
def test_a_signed_or_zero_rate_is_refused_naming_the_step(step, shown):
    """PyBaMM takes the direction from the verb: "Charge at -0.1C" would discharge."""
    msg = _refused([step])
    assert f"step 1: {step!r}: {shown} (Charge and Discharge set the direction" in msg


def test_step_rates_are_held_to_the_c_rate_range_as_c_rates_of_the_presets_1c():
    lo, hi = C_RATE_RANGE
    allowed = f"is outside the allowed range: {lo:g} to {hi:g} C"
    assert f"'Charge at 100C until 4.3 V': C-rate=100 C {allowed}" in _refused(["Charge at 100C until 4.3 V"])
    assert "C-rate=0.0001 C" in _refused(["Discharge at 0.0001C until 3 V"])
    p = get_preset("kwon2022")
    one_c = f"1C = {p.one_c_A * 1e3:.3g} mA for preset 'kwon2022'"
    amps = _refused(["Discharge at 1 A until 3 V"])
    assert f"1 A = {1 / p.one_c_A:.4g} C ({one_c}) {allowed}" in amps
    watts = _refused(["Discharge at 2 W until 3 V"])
    assert f"2 W = {2 / p.mid_voltage_V / p.one_c_A:.4g} C ({one_c}, at 3.65 V, the middle of its 3-4.3 V " \
           f"window) {allowed}" in watts
    # a current or power of a few times 1C runs
    fine = ["Discharge at 5 mA until 3 V", f"Charge at {3 * p.one_c_A * 4.3:.4g} W until 4.3 V"]
    Conditions.resolve("kwon2022", protocol=Protocol.from_steps(fine))


def test_a_current_or_power_step_is_the_c_rate_of_the_same_current():
    p = get_preset("choi2025")
    for c in (0.05, 0.15, 2.0):
        steps = [f"Discharge at {c * p.one_c_A * 1e3:.9g} mA until 0.01 V",
                 f"Charge at {c * p.one_c_A * p.mid_voltage_V:.9g} W until 2 V", f"Charge at {c:g}C until 2 V"]
        rates = p.step_c_rates(Protocol.from_steps(steps + ["Hold at 0.01 V until C/50", "Rest for 1 hour"]))
        assert [s for s, _ in rates] == steps  # the hold and the rest drive no current
        assert [r for _, r in rates] == pytest.approx([c] * 3)


@pytest.mark.parametrize("step, shown", [
    ("Charge at 0.1C until 9000 mV", "9 V is outside the voltage window"),
    ("Discharge at 1 A until 3 V", "outside the allowed range: 0.001 to 10 C"),
    ("Charge at -0.1C until 4.3 V", "must be above 0"),
])
def test_cli_refuses_the_step_on_one_line(step, shown):
    res = CliRunner().invoke(main, ["simulate", "--preset", "kwon2022", "--step", step])
    assert res.exit_code == 2 and res.output.count("\n") == 1 and shown in res.output
