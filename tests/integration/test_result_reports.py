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


def test_the_two_isolated_measures_are_the_active_volume_and_the_capacity(simulate_cached):
    """The summary's first line gives the isolated share of the active volume
    (``final_isolated_fraction``), each cycle line PyBaMM's loss of active material, a
    share of the capacity: for a one-phase cathode the two agree, for Choi's graphite-Si
    anode at 16 MPa the Si (small volume, large capacity) weighs more in the second."""
    import numpy as np

    kwon = simulate_cached("kwon2022", pressure=2.0)
    assert kwon.cycles[-1].loss_of_active_material_pct == pytest.approx(
        100 * kwon.electrode["final_isolated_fraction"], rel=1e-3)
    choi = simulate_cached("choi2025", pressure=16.0)
    sol = choi.solution
    iso = [float(sol[f"Positive electrode {ph} isolated fraction"].entries[-1]) for ph in ("primary", "secondary")]
    cap = [float(np.ravel(sol[f"Positive electrode {ph} phase capacity [A.h]"].entries)[0]) for ph in ("primary", "secondary")]
    by_capacity = 100 * sum(i * c for i, c in zip(iso, cap)) / sum(cap)
    assert choi.cycles[-1].loss_of_active_material_pct == pytest.approx(by_capacity, rel=1e-3)
    assert choi.cycles[-1].loss_of_active_material_pct > 1.5 * 100 * choi.electrode["final_isolated_fraction"]
    text = choi.summary()
    assert "% of the active volume" in text and "capacity isolated" in text


def test_a_binder_free_cell_is_summarised_as_such():
    r = ssbsim.simulate("kwon2022", model="SPM", process="none")
    assert r.summary().splitlines()[0].startswith("kwon2022 (SPM), binder-free, 70 MPa")
