"""Pressure, binder and rate effects of the cathode that must follow from the mechanisms
(the measured trends of the domain notes), not from a threshold or a per-condition knob."""

import numpy as np
import pytest

import ssbsim
from conftest import tight_solver

#: The log grid of stack pressures [MPa] the capacity curve is checked on.
PRESSURE_GRID_MPA = (0.5, 1, 2, 4, 7, 15, 30, 70, 100)


def _capacity(simulate_cached, **kw):
    return simulate_cached("kwon2022", **kw).cycles[0].discharge_capacity_mAh_g


@pytest.mark.parametrize("binder", ["pristine", "vulcanized"])
def test_capacity_vs_pressure_is_a_gradual_monotone_curve(simulate_cached, binder):
    """Kwon 2022 at 0.1C (SPM, the preset's recommended fitting model, within 2 % of the
    DFN): non-decreasing over 0.5-100 MPa, and no step between neighbouring grid points
    larger than 35 % of the whole 0.5-100 MPa change (a threshold law puts it in one).
    Solved at tight tolerances: the SPM's own scatter the capacity by more than the
    0.05 mAh/g the monotonicity is checked to (conftest.TIGHT_TOLERANCES)."""
    solver = tight_solver()
    caps = np.array([_capacity(simulate_cached, binder=binder, pressure=p, model="SPM", solver=solver)
                     for p in PRESSURE_GRID_MPA])
    steps = np.diff(caps)
    total = caps[-1] - caps[0]
    assert np.all(steps >= -0.05), caps
    assert total > 3, caps  # pressure matters at all
    assert steps.max() <= 0.35 * total, (caps, steps / total)


@pytest.fixture(scope="module")
def si_graphite_delithiation(simulate_cached):
    """Jo 2024's Si-graphite half cell at 0.05C (SPM): the first delithiation [mAh/g] on
    the cathode's log grid of pressures."""
    return np.array([simulate_cached("jo2024-anode", pressure=p, model="SPM").to_dict()[
        "delithiation_capacity_mAh_g"] for p in PRESSURE_GRID_MPA])


def test_si_graphite_anode_capacity_is_monotone_in_pressure(si_graphite_delithiation):
    """Issue 16: the anode's capacity never falls as the stack pressure rises (0.5-100
    MPa), and pressure matters."""
    caps = si_graphite_delithiation
    assert np.all(np.diff(caps) >= -0.05) and caps[-1] - caps[0] > 3, caps


@pytest.mark.xfail(strict=True, reason=(
    "the Si-graphite layer cracks as a step: SPM first delithiation 147-226 mAh/g at 0.5-30 MPa "
    "(228 at 45), 1067 at 50 and 1109 at 70-100. Its releasable energy crosses the cohesion "
    "within a few MPa, the assumed 5 % scatter of the fracture energy (decohesion-scatter) sets "
    "the width, and the cracks then cut the whole Si phase off (models.layer_decohesion)"))
def test_si_graphite_anode_capacity_vs_pressure_is_a_gradual_curve(si_graphite_delithiation):
    """No step between neighbouring grid points larger than 35 % of the whole 0.5-100 MPa
    change, as the cathode's (a threshold law puts it in one)."""
    caps = si_graphite_delithiation
    steps = np.diff(caps)
    assert steps.max() <= 0.35 * (caps[-1] - caps[0]), (caps, steps / (caps[-1] - caps[0]))


def test_binders_differ_at_7_MPa(simulate_cached):
    """Kwon 2022: the vulcanized binder's difference is already "distinct" at 7 MPa."""
    pristine = _capacity(simulate_cached, binder="pristine", pressure=7.0)
    vulcanized = _capacity(simulate_cached, binder="vulcanized", pressure=7.0)
    assert vulcanized - pristine >= 3.0, (pristine, vulcanized)


def test_pressure_effect_grows_with_rate(simulate_cached):
    """Capacity lost from 0.1C to 1C is larger at 2 MPa than at 70 MPa (pristine BR)."""
    loss = {p: _capacity(simulate_cached, binder="pristine", pressure=p, c_rate=0.1)
            - _capacity(simulate_cached, binder="pristine", pressure=p, c_rate=1.0) for p in (2.0, 70.0)}
    assert loss[2.0] > loss[70.0], loss


@pytest.mark.xfail(strict=True, reason=(
    "the wet binder's composite conducts ~50x worse: 1 V before the 3.0 V cut-off (at 3.55 V) "
    "the wet electrode has 25 mAh/g left to deliver, the binder-free one 9. But the end of "
    "discharge is set by solid diffusion, which the ohmic drop does not change, and NCM's OCP "
    "(materials.ncm_ocp) falls from 3.45 to 3.0 V within ~1.5 % of its capacity: the binder "
    "costs 0.7 mAh/g (174.9 vs 175.6). Jo 2024's wet NBR electrodes differ by 3 mAh/g between "
    "0.5 and 2.5 wt% at 0.05C, so the 18-35 mAh/g of the review would sit between 0 and 0.5 wt%, "
    "where no data here measure a mechanism"))
def test_binder_free_beats_wet_binder_at_0p1C(simulate_cached):
    """Binder-containing NCM electrodes deliver 18-35 mAh/g less than binder-free ones at
    0.1C (Kim, Kwon, Jung 2022, review); the Kwon cell with 1.5 wt% wet BR vs none."""
    wet = _capacity(simulate_cached, binder="pristine", process="wet", binder_content=1.5)
    free = _capacity(simulate_cached, process="none", binder_content=0.0)
    assert 10.0 <= free - wet <= 40.0, (free, wet)


def test_warmer_cell_relaxes_raw_rubber_faster():
    """WLF: the raw rubber's relaxation time falls with temperature; a crosslinked
    network keeps a temperature-proportional part of its traction (G = nu R T)."""
    from ssbsim.models.binder_mechanics import relaxation_time_s, retained_fraction
    from ssbsim.parameter_sets.mechanics import BINDERS

    br = BINDERS["BR-pristine"]
    taus = [relaxation_time_s(br.relaxation_time_s, T, br.glass_transition_K) for T in (303.15, 333.15)]
    assert taus[0] == pytest.approx(br.relaxation_time_s)
    assert taus[1] < 0.5 * taus[0]
    vulc = BINDERS["BR-vulcanized-S2"]
    r = [retained_fraction(vulc.crosslink_density_mol_m3, vulc.entanglement_modulus_Pa, T) for T in (303.15, 333.15)]
    assert 0 < r[0] < r[1] < 1
    assert retained_fraction(br.crosslink_density_mol_m3, br.entanglement_modulus_Pa, 303.15) == 0.0


def test_contact_resistance_grows_as_pressure_falls():
    """The contact fraction (R_ct ~ 1 / contact area) rises smoothly with pressure at a
    fixed gap, from the same law every backend runs."""
    from ssbsim.models.contact_law import NUMPY, ContactLawParameters
    from ssbsim.parameter_sets.mechanics import SE_CONTACT

    p = ContactLawParameters.from_parameters(SE_CONTACT).constants()
    pressures = np.array(PRESSURE_GRID_MPA) * 1e6
    phi = NUMPY.contact_fraction(50e-9, 5e-6, pressures, p)
    assert np.all(np.diff(phi) > 0) and phi[0] > 0.1 and phi[-1] < 1
    assert NUMPY.contact_fraction(0.0, 5e-6, 0.0, p) == 1.0  # no gap: full contact at any pressure


def test_no_mechanics_limit_is_the_high_pressure_limit():
    """At 500 MPa the model with contact mechanics recovers the one without (SPM)."""
    high = ssbsim.simulate("kwon2022", pressure=500.0, model="SPM")
    without = ssbsim.simulate("kwon2022", model="SPM", mechanics=False)
    assert high.cycles[0].discharge_capacity_mAh_g == pytest.approx(
        without.cycles[0].discharge_capacity_mAh_g, rel=5e-3)
