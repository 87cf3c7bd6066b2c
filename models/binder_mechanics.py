"""Binder mechanics: what a polymer binder does to contacts, from measured properties.

Two roles, both only through measured binder properties:

1. **Holding traction** P_b [Pa]: the binder network pulls particles and SE together
   like extra stack pressure, P_eff = P_stack + P_b. Its magnitude is taken as a fixed
   fraction eta of the measured compressive strength of the binder-held electrode
   (Kwon 2022: 10.1 MPa pristine BR, 34.8 MPa vulcanized), scaled with binder content.
   The traction relaxes as the binder's modulus does (:func:`binder_traction`):

       P_b(t) = P_b0 [r + (1 - r) exp(-t / tau(T))],   r = G_x / (G_x + G_e)

   A linear rubber's entanglements (plateau modulus G_e) flow away by reptation; a
   crosslinked network keeps the rubber elasticity of its strands, G_x = nu_e R T
   (affine network, Treloar 1975), so r = 0 for raw rubber and r > 0 for a vulcanizate
   (a lower bound: entanglements trapped between crosslinks also stay, Langley 1968).
   tau follows the Williams-Landel-Ferry shift with the universal constants referenced
   to the glass transition, log10 a_T = -C1 (T - T_g) / (C2 + T - T_g), C1 = 17.44,
   C2 = 51.6 K (Williams, Landel, Ferry, J. Am. Chem. Soc. 77 (1955) 3701):
   tau(T) = tau_ref a_T(T) / a_T(T_ref) (:func:`relaxation_time_s`), so a binder relaxes
   faster in a warmer cell.
2. **Void-nucleation resistance** chi = exp(-Gamma / Gamma_chi): cracking the SE
   around a particle that pushes back (or swells, as Si) opens voids unless the binder
   bridges them; the energy scale is the binder's cohesion Gamma [N/m] (SAICAS, Choi
   2025), or, where only the tensile toughness U [J/m3] was measured (Kwon 2022),
   U times the particle diameter (the energy to break the bridges of one particle).

3. **Adhesion traction** P_adh = A / l_pz [Pa] at the electrode | SE-layer interface:
   the binder's peel adhesion A [N/m] (SAICAS, Choi 2025) spread over a process zone l_pz.

The properties are measured at one binder content w_m and scale as w / w_m
(:func:`content_scaled`). The conversion constants eta (``"Binder holding fraction of
strength"``), Gamma_chi (``"Binder void nucleation fracture energy scale [J.m-2]"``) and
l_pz (``"Binder adhesion process zone length [m]"``) are shared by all binders and cell
systems (values and fits in ``parameter_sets/mechanics.py``). The laws take floats or
PyBaMM symbols: the model evaluates them on PyBaMM parameters (``models.binder_laws``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

R_GAS = 8.314462618  # [J.mol-1.K-1]

#: Bounds used to reject unphysical inputs (value, unit).
PHYSICAL_RANGES = {
    "compressive_strength_MPa": (0.0, 500.0),
    "cohesion_N_m": (0.0, 5000.0),
    "toughness_kJ_m3": (0.0, 1.0e5),
    "relaxation_time_s": (1e-3, 1e9),
    "crosslink_density_mol_m3": (0.0, 1.0e4),
    "glass_transition_K": (100.0, 400.0),
    "entanglement_modulus_Pa": (0.0, 1.0e8),
}

#: Universal WLF constants referenced to the glass transition (Williams, Landel, Ferry,
#: J. Am. Chem. Soc. 77 (1955) 3701).
WLF_C1 = 17.44
WLF_C2_K = 51.6
#: Temperature at which the binders' relaxation times are given (Kwon 2022's 30 C).
RELAXATION_REFERENCE_TEMPERATURE_K = 303.15


@dataclass(frozen=True)
class BinderProperties:
    """Measured properties of a binder, at the binder content they were measured at.

    Either ``cohesion_N_m`` or ``toughness_kJ_m3`` gives the void-nucleation energy;
    ``compressive_strength_MPa`` gives the holding traction (0 if not measured). A
    crosslinked network is one with ``crosslink_density_mol_m3`` > 0 (a linear rubber
    has 0): it sets the traction the binder keeps (:func:`retained_fraction`).
    """

    name: str
    measured_content_wt_pct: float
    compressive_strength_MPa: float = 0.0
    cohesion_N_m: float | None = None
    toughness_kJ_m3: float | None = None
    adhesion_N_m: float = 0.0
    relaxation_time_s: float = 3600.0  # at RELAXATION_REFERENCE_TEMPERATURE_K
    crosslink_density_mol_m3: float = 0.0
    glass_transition_K: float = 200.0
    entanglement_modulus_Pa: float = 1.0e6

    def __post_init__(self):
        for key, (lo, hi) in PHYSICAL_RANGES.items():
            value = getattr(self, key)
            if value is not None and not (math.isfinite(value) and lo <= value <= hi):
                raise ValueError(
                    f"binder {self.name!r}: {key}={value} is outside the physical range {lo:g}-{hi:g}"
                )
        if self.cohesion_N_m is None and self.toughness_kJ_m3 is None:
            raise ValueError(f"binder {self.name!r}: give cohesion_N_m or toughness_kJ_m3")
        if not 0 < self.measured_content_wt_pct <= 10:
            raise ValueError(f"binder {self.name!r}: measured_content_wt_pct="
                             f"{self.measured_content_wt_pct} is outside (0, 10]")


def rubber_shear_modulus(crosslink_density_mol_m3: float, temperature_K: float) -> float:
    """G = nu_e R T [Pa], the affine-network modulus of a crosslinked rubber."""
    return crosslink_density_mol_m3 * R_GAS * temperature_K


def content_scaled(value_at_measured, content_wt_pct, measured_content_wt_pct):
    """A binder property measured at ``measured_content_wt_pct``, at the electrode's
    content: value (w / w_measured). Floats or PyBaMM symbols."""
    return value_at_measured * content_wt_pct / measured_content_wt_pct


def retained_fraction(crosslink_density_mol_m3, entanglement_modulus_Pa, temperature_K):
    """r = G_x / (G_x + G_e + 1 Pa) [-], G_x = nu_e R T: the part of the binder's modulus
    (and traction) that a crosslinked network keeps; 0 for a linear rubber (the 1 Pa
    keeps r = 0 when both moduli are 0). Floats or PyBaMM symbols."""
    G_x = rubber_shear_modulus(crosslink_density_mol_m3, temperature_K)
    return G_x / (G_x + entanglement_modulus_Pa + 1.0)


def relaxation_time_s(tau_ref_s, temperature_K, glass_transition_K, C1=WLF_C1, C2_K=WLF_C2_K,
                      reference_K=RELAXATION_REFERENCE_TEMPERATURE_K):
    """tau(T) = tau_ref a_T(T) / a_T(T_ref) [s] with the WLF shift referenced to T_g,
    log10 a_T = -C1 (T - T_g) / (C2 + T - T_g). Floats or PyBaMM symbols."""
    def log10_aT(T):
        return -C1 * (T - glass_transition_K) / (C2_K + T - glass_transition_K)

    return tau_ref_s * 10 ** (log10_aT(temperature_K) - log10_aT(reference_K))


def binder_traction(P_b0, t, tau_s, r, exp=math.exp):
    """P_b(t) = P_b0 (r + (1 - r) exp(-t / tau)) [Pa]; ``exp`` of the value's type."""
    return P_b0 * (r + (1 - r) * exp(-t / tau_s))


def fracture_energy(cohesion_J_m2, toughness_J_m3, particle_diameter_m, content_wt_pct, measured_content_wt_pct):
    """Gamma [J.m-2] of the binder at its content: the cohesion, or (where only the
    toughness U was measured, cohesion 0) U times the particle diameter, scaled with the
    content. Floats or PyBaMM symbols."""
    return content_scaled(cohesion_J_m2 + toughness_J_m3 * particle_diameter_m, content_wt_pct,
                          measured_content_wt_pct)


def void_nucleation_factor(gamma_J_m2, gamma_chi_J_m2, exp=math.exp):
    """chi = exp(-Gamma / Gamma_chi) in [0, 1]; ``exp`` of the value's type."""
    return exp(-gamma_J_m2 / gamma_chi_J_m2)


def adhesion_traction(adhesion_N_m, process_zone_m):
    """P_adh = adhesion / l_pz [Pa]: a peel adhesion spread over a process zone."""
    return adhesion_N_m / process_zone_m
