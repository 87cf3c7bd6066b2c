"""Volumetric strain of active materials vs lithiation: pure laws with sources.

``eps_v(x)`` is the volume change relative to the unit cell at stoichiometry x = 0
(x: lithium fraction of the host's capacity). The functions accept floats, NumPy
arrays or PyBaMM symbols. What matters to the contact models is the change from the
fabricated (pristine) state, :func:`radial_strain`.

* Layered NCM shrinks on delithiation, slowly (a-axis) and then by the c-axis collapse
  above ~4.1 V (x < ~0.4): de Biasi et al., J. Phys. Chem. C 121 (2017) 26163 and
  Kondrakov et al., J. Phys. Chem. C 121 (2017) 3286 report about -5.1 % for NCM811 at
  4.3 V, less for lower Ni (-3.6 % used for NCM711) and more for Ni >= 83 % (-5.7 %).
  Form: eps_v(x) = -a_lin (1 - x) - a_col sigmoid((x_c - x) / w), x_c = 0.35, w = 0.05.
* Graphite: +10 % from C6 to LiC6, about linear in x (Schweidler et al.,
  J. Phys. Chem. C 122 (2018) 8829 give +13 % c-axis).
* Silicon: +280 % at Li15Si4 (x = 1), linear in Li content (Obrovac & Christensen,
  Electrochem. Solid-State Lett. 7 (2004) A93; Beaulieu et al., Electrochem.
  Solid-State Lett. 4 (2001) A137).
* Swelling material inside a host particle (Si in a Si-carbon composite powder): the
  particle's volume changes by phi eps_v(x), phi the volume fraction of the swelling
  material in the particle (volume additivity; internal porosity would buffer more, so
  this is an upper bound): :func:`embedded_strain`.
* A stoichiometry defined on a practical capacity q_p < q_th (Choi 2025's Si:
  1700 of 3579 mAh/g): the Li content at x is x q_p / q_th of the theoretical one, so
  eps_v(x) = eps_v,th(x q_p / q_th) (:func:`practical_strain`; the volume of Li_ySi is
  linear in y, Obrovac & Christensen 2004).
* Li4Ti5O12: zero strain (Ohzuku et al., J. Electrochem. Soc. 142 (1995) 1431).
* Li metal / Li-In counter electrodes change thickness by V_m Q / (F A) with the molar
  volume of Li, 1.3e-5 m3/mol (:func:`counter_electrode_thickness_change`).
"""

from __future__ import annotations

import numpy as np
import pybamm

F = 96485.33212

#: NCM parameters (a_lin, a_col) [-]: total -(a_lin * 0.8 + a_col) at x ~ 0.2 (4.3 V).
NCM_STRAIN = {"NCM711": (0.008, 0.030), "NCM811": (0.008, 0.045), "NMC83": (0.008, 0.051)}
NCM_COLLAPSE_STO = 0.35
NCM_COLLAPSE_WIDTH = 0.05
GRAPHITE_FULL_STRAIN = 0.10
SILICON_FULL_STRAIN = 2.80
LI_MOLAR_VOLUME_M3_MOL = 1.3e-5


def _exp(y):
    return pybamm.exp(y) if isinstance(y, pybamm.Symbol) else np.exp(y)


def ncm_strain(name: str):
    """eps_v(x) of a layered NCM (``"NCM711"``, ``"NCM811"``, ``"NMC83"``)."""
    a_lin, a_col = NCM_STRAIN[name]

    def eps_v(sto):
        collapse = 1 / (1 + _exp(-(NCM_COLLAPSE_STO - sto) / NCM_COLLAPSE_WIDTH))
        return -a_lin * (1 - sto) - a_col * collapse

    eps_v.__name__ = f"{name.lower()}_volumetric_strain"
    return eps_v


def graphite_strain(sto):
    """eps_v(x) = 0.10 x for graphite."""
    return GRAPHITE_FULL_STRAIN * sto


def silicon_strain(sto):
    """eps_v(x) = 2.8 x for silicon."""
    return SILICON_FULL_STRAIN * sto


def embedded_strain(eps_v, volume_fraction: float):
    """eps_v of a host particle whose volume fraction ``volume_fraction`` is a material
    that strains by ``eps_v(x)``: phi eps_v(x) (the host's own strain is its phase's)."""
    if not 0 < volume_fraction <= 1:
        raise ValueError(f"volume_fraction={volume_fraction} is outside (0, 1]")

    def embedded(sto):
        return volume_fraction * eps_v(sto)

    embedded.__name__ = f"embedded_{eps_v.__name__}"
    return embedded


def practical_strain(eps_v, capacity_fraction: float):
    """eps_v(x q_p / q_th) for a stoichiometry x defined on a practical capacity that is
    ``capacity_fraction`` = q_p / q_th of the theoretical one."""
    if not 0 < capacity_fraction <= 1:
        raise ValueError(f"capacity_fraction={capacity_fraction} is outside (0, 1]")

    def practical(sto):
        return eps_v(capacity_fraction * sto)

    practical.__name__ = f"practical_{eps_v.__name__}"
    return practical


def zero_strain(sto):
    """eps_v(x) = 0 (LTO)."""
    return 0 * sto


def radial_strain(eps_v, sto, sto_fabricated):
    """Radial strain relative to fabrication, s = ((1 + eps_v(x)) / (1 + eps_v(x0)))^(1/3) - 1."""
    return ((1 + eps_v(sto)) / (1 + eps_v(sto_fabricated))) ** (1 / 3) - 1


def counter_electrode_thickness_change(charge_C_per_m2, molar_volume=LI_MOLAR_VOLUME_M3_MOL):
    """Thickness change [m] of a Li (or Li-In) counter electrode that received
    ``charge_C_per_m2`` of Li+ (plating > 0): V_m q / F."""
    return molar_volume * charge_C_per_m2 / F
