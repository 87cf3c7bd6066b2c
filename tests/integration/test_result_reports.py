"""What a simulation result reports beside its capacities (SPM solves, so not in
tests/unit): the notes where a case extrapolates the fitted constants' data
(``simulator.calibration_domain``) and the plateau split of a graphite-Si half cell's
first delithiation (``simulator.plateau_split``)."""

import pytest

import ssbsim


def test_the_result_carries_the_notes():
    r = ssbsim.simulate("kwon2022", pressure=0.5, model="SPM")
    assert any(n.startswith("extrapolation: stack pressure 0.5 MPa") for n in r.notes)
    assert any(n.startswith("extrapolation:") for n in r.to_dict()["notes"])
    assert not any(n.startswith("extrapolation:") for n in ssbsim.simulate("kwon2022", pressure=7.0, model="SPM").notes)


def test_a_result_reports_the_split_of_a_two_phase_half_cell_only():
    """Choi's graphite-Si half cell (SPM): both splits of the first delithiation, each
    summing to it, in the JSON and the text summary; Kwon's one-phase cathode: none."""
    r = ssbsim.simulate("choi2025", model="SPM")
    split = r.to_dict()["first_delithiation_split"]
    total = r.delithiation_capacity_mAh_g
    assert sum(split["by_phase"].values()) == pytest.approx(total, rel=1e-3)
    assert split["by_plateau"]["below_mAh_g"] + split["by_plateau"]["above_mAh_g"] == pytest.approx(total, rel=1e-3)
    assert "dQ/dV valley at" in r.summary()
    kwon = ssbsim.simulate("kwon2022", model="SPM")
    assert "first_delithiation_split" not in kwon.to_dict() and "valley" not in kwon.summary()
