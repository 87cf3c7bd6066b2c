"""Cohesive fracture of a swelling layer (``models.layer_decohesion``): closed forms,
limits and trends. (Its onset is no longer compared with Choi 2025's plateau split of
the delithiation: that split gives Si more than its practical 1700 mAh/g, issue 16.)"""

import numpy as np
import pytest

from ssbsim.models import layer_decohesion as ld
from ssbsim.models import strain
from ssbsim.parameter_sets import jo2024
from ssbsim.parameter_sets.mechanics import SE_CONTACT

E_F = SE_CONTACT["Composite layer modulus [Pa]"]
MPA = 1e6


@pytest.mark.parametrize("phi", [0.06, 0.5, 1.0])
@pytest.mark.parametrize("pressure", [0.0, 16 * MPA, 48 * MPA, 80 * MPA])
@pytest.mark.parametrize("gamma", [3.0, 65.0, 187.0])
def test_onset_strain_is_the_root_of_G_equals_gamma(pressure, gamma, phi):
    s = ld.onset_strain(pressure, gamma, E_F, 23e-6, phi)
    assert s > pressure / (ld.DELAMINATION_FACTOR * E_F * phi)  # beyond the strain where G turns positive
    assert ld.energy_release_rate(s, pressure, E_F, 23e-6, phi) == pytest.approx(gamma, rel=1e-12)
    assert ld.decohered_fraction(gamma, gamma, 0.05) == pytest.approx(0.5)


def test_thin_film_limit():
    """A layer of the swelling phase alone (phi = 1) without stack pressure releases
    Hutchinson and Suo's steady-state delamination energy, G = Z E s^2 H with Z = 1/2;
    a dilute phase releases phi^2 of it (the layer's mean misfit is phi s)."""
    assert ld.DELAMINATION_FACTOR == 0.5
    assert ld.energy_release_rate(0.1, 0.0, E_F, 23e-6, 1.0) == pytest.approx(0.5 * E_F * 0.01 * 23e-6, rel=1e-14)
    assert ld.energy_release_rate(0.1, 0.0, E_F, 23e-6, 0.2) == pytest.approx(
        0.04 * ld.energy_release_rate(0.1, 0.0, E_F, 23e-6, 1.0), rel=1e-14)


def test_no_releasable_energy_no_decohesion():
    """Exactly zero where G <= 0: at fabrication, for a shrinking phase (G uses s+), and
    below P / (Z E phi), where the stack pressure does more work than the misfit stores."""
    assert ld.decohered_fraction(0.0, 10.0, 0.05) == 0.0
    G = ld.energy_release_rate(np.maximum(np.array([-0.05, 0.0]), 0), 48 * MPA, E_F, 23e-6, 0.3)
    assert np.all(G == 0.0)
    assert ld.energy_release_rate(0.9 * 48 * MPA / (0.5 * E_F * 0.3), 48 * MPA, E_F, 23e-6, 0.3) < 0


def test_more_pressure_or_cohesion_delays_the_crack_and_a_dilute_phase_cracks_later():
    s = np.linspace(0.0, 0.56, 200)
    for gamma in (65.0, 93.0, 187.0):
        zetas = [ld.decohered_fraction(np.maximum(ld.energy_release_rate(s, p * MPA, E_F, 23e-6, 0.5), 0), gamma, 0.05)
                 for p in (0.0, 16.0, 48.0, 80.0)]
        for low, high in zip(zetas, zetas[1:]):
            assert np.all(high <= low)
        assert np.all(np.diff(zetas[2]) >= -1e-15)  # monotone in strain (to rounding at 1)
        assert zetas[0].max() > 0.99  # a layer half made of Si at Li15Si4 cracks without pressure
    onsets = [ld.onset_strain(48 * MPA, g, E_F, 23e-6, 0.5) for g in (65.0, 93.0, 187.0)]
    assert onsets == sorted(onsets)
    by_phi = [ld.onset_strain(16 * MPA, 93.0, E_F, 23e-6, phi) for phi in (1.0, 0.5, 0.1)]
    assert by_phi == sorted(by_phi)


def test_choi2025_si_never_cracks_its_layer():
    """Choi's Si nanoparticles are 6 vol% of the anode: at their practical 1700 mAh/g
    (radial strain 0.33) the layer's mean misfit is 0.02 and stores ~4 J/m2 without any
    stack pressure, below the SE's own 2.9 J/m2 plus the weakest binder's cohesion (65 N/m)."""
    from ssbsim.parameter_sets import choi2025
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    pv = parameter_values(resolve_conditions("choi2025", binder="nbr-xylene"))
    phi = pv["Secondary: Positive electrode active material volume fraction"]
    assert 0.05 < phi < 0.08
    s = (1 + choi2025.SI_NANOPARTICLES.volumetric_strain(1.0)) ** (1 / 3) - 1
    G = ld.energy_release_rate(s, 0.0, E_F, pv["Positive electrode thickness [m]"], phi)
    assert 3.0 < G < 6.0
    assert G < ld.SE_FRACTURE_ENERGY_J_M2 + 65.0


def test_jo2024_si_in_composite_particles_never_cracks_at_75_MPa():
    """Jo's Si sits inside Si-graphite particles: their swelling at full lithiation stores
    less than the stack pressure works against (G < 0), so no Si is lost, as measured."""
    eps_v = jo2024.SILICON_IN_COMPOSITE.volumetric_strain(1.0)
    s = (1 + eps_v) ** (1 / 3) - 1
    # 37 vol% Si in the particles (the 55:35:10 precursor), lithiated to its practical
    # 2349 of 3579 mAh/g: the particles swell by 0.37 x 2.8 x 0.656 = 68 vol%
    practical = jo2024.SI_PRACTICAL_CAPACITY_MAH_G / 3579.0
    assert eps_v == pytest.approx(jo2024.SI_VOLUME_FRACTION_IN_PARTICLE * strain.silicon_strain(practical), rel=1e-12)
    assert 0.17 < s < 0.21
    # the layer's misfit counts the Si-C particles (60 vol% of the layer), not the Si alone
    phi = jo2024.SILICON_IN_COMPOSITE.host_volume_fraction
    assert phi == jo2024.SI_VOLUME_FRACTION_IN_PARTICLE
    phi_layer = jo2024.ANODE.phase_volume_fractions()[1] / phi
    assert phi_layer == pytest.approx(jo2024.ANODE.volume_fraction("am"), rel=1e-12)
    assert ld.energy_release_rate(s, 75 * MPA, E_F, jo2024.ANODE.thickness, phi_layer) < 0
    # ... though without the stack's 75 MPa it would crack (NBR's 14.5 J/m2 at 0.5 wt%)
    assert ld.energy_release_rate(s, 0.0, E_F, jo2024.ANODE.thickness, phi_layer) > 50


def test_a_result_notes_a_cracked_layer_from_one_percent_decohered():
    from ssbsim.simulator.layer_cracks import NOTE_THRESHOLD, layer_crack_note

    assert NOTE_THRESHOLD == 0.01
    assert layer_crack_note(0.0) is None and layer_crack_note(0.0099) is None and layer_crack_note(float("nan")) is None
    assert "up to 1 % decohered" in layer_crack_note(0.01)
