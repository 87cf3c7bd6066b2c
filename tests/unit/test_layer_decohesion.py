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


@pytest.mark.parametrize("pressure", [0.0, 16 * MPA, 48 * MPA, 80 * MPA])
@pytest.mark.parametrize("gamma", [3.0, 65.0, 187.0])
def test_onset_strain_is_the_root_of_G_equals_gamma(pressure, gamma):
    s = ld.onset_strain(pressure, gamma, E_F, 23e-6)
    assert s > 6 * pressure / E_F  # beyond the strain where G turns positive
    assert ld.energy_release_rate(s, pressure, E_F, 23e-6) == pytest.approx(gamma, rel=1e-12)
    assert ld.decohered_fraction(gamma, gamma, 0.05) == pytest.approx(0.5)


def test_no_releasable_energy_no_decohesion():
    """Exactly zero where G <= 0: at fabrication, for a shrinking phase (G uses s+), and
    below 6 P / E_f, where the stack pressure does more work than the misfit stores."""
    assert ld.decohered_fraction(0.0, 10.0, 0.05) == 0.0
    G = ld.energy_release_rate(np.maximum(np.array([-0.05, 0.0]), 0), 48 * MPA, E_F, 23e-6)
    assert np.all(G == 0.0)
    assert ld.energy_release_rate(0.9 * 6 * 48 * MPA / E_F, 48 * MPA, E_F, 23e-6) < 0


def test_more_pressure_or_cohesion_delays_the_crack():
    s = np.linspace(0.0, 0.56, 200)
    for gamma in (65.0, 93.0, 187.0):
        zetas = [ld.decohered_fraction(np.maximum(ld.energy_release_rate(s, p * MPA, E_F, 23e-6), 0), gamma, 0.05)
                 for p in (0.0, 16.0, 48.0, 80.0)]
        for low, high in zip(zetas, zetas[1:]):
            assert np.all(high <= low)
        assert np.all(np.diff(zetas[2]) >= -1e-15)  # monotone in strain (to rounding at 1)
    onsets = [ld.onset_strain(48 * MPA, g, E_F, 23e-6) for g in (65.0, 93.0, 187.0)]
    assert onsets == sorted(onsets)


def test_jo2024_si_in_composite_particles_never_cracks_at_75_MPa():
    """Jo's Si sits inside Si-graphite particles: their swelling at full lithiation stores
    less than the stack pressure works against (G < 0), so no Si is lost, as measured."""
    eps_v = jo2024.SILICON_IN_COMPOSITE.volumetric_strain(1.0)
    s = (1 + eps_v) ** (1 / 3) - 1
    assert 0.25 < s < 0.29  # 37 vol% Si in the particles (the 55:35:10 precursor): their volume doubles
    assert ld.energy_release_rate(s, 75 * MPA, E_F, jo2024.ANODE.thickness) < 0
    free = (1 + strain.silicon_strain(1.0)) ** (1 / 3) - 1  # the same Si as a free powder would
    assert ld.energy_release_rate(free, 75 * MPA, E_F, jo2024.ANODE.thickness) > 100
