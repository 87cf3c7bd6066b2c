"""Binder mechanics: what a polymer binder does to contacts, from measured properties.

Two roles, both only through measured binder properties:

1. **Holding traction** P_b [Pa]: the binder network pulls particles and SE together
   like extra stack pressure, P_eff = P_stack + P_b. Its magnitude is taken as a fixed
   fraction eta of the measured compressive strength of the binder-held electrode
   (Kwon 2022: 10.1 MPa pristine BR, 34.8 MPa vulcanized), scaled with binder content.
   A raw linear rubber flows: its traction relaxes, P_b(t) = P_b0 exp(-t / tau); a
   crosslinked (vulcanized) network keeps it, the equilibrium modulus being the rubber
   elasticity of its strands, G_inf = nu_e R T (affine network; Treloar 1975).
2. **Void-nucleation resistance** chi = exp(-Gamma / Gamma_chi): cracking the SE
   around a particle that pushes back (or swells, as Si) opens voids unless the binder
   bridges them; the energy scale is the binder's cohesion Gamma [N/m] (SAICAS, Choi
   2025), or, where only the tensile toughness U [J/m3] was measured (Kwon 2022),
   U times the particle diameter (the energy to break the bridges of one particle).

The two conversion constants eta and Gamma_chi are shared by all binders and cell
systems (calibrated on Kwon 2022 and Jo 2024 respectively; see the parameter sets).
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
}


@dataclass(frozen=True)
class BinderProperties:
    """Measured properties of a binder, at the binder content they were measured at.

    Either ``cohesion_N_m`` or ``toughness_kJ_m3`` gives the void-nucleation energy;
    ``compressive_strength_MPa`` gives the holding traction (0 if not measured).
    """

    name: str
    measured_content_wt_pct: float
    crosslinked: bool
    compressive_strength_MPa: float = 0.0
    cohesion_N_m: float | None = None
    toughness_kJ_m3: float | None = None
    adhesion_N_m: float = 0.0
    relaxation_time_s: float = 3600.0
    crosslink_density_mol_m3: float = 0.0

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


def holding_traction_Pa(b: BinderProperties, content_wt_pct: float, eta: float) -> float:
    """P_b0 = eta * sigma_c * (w / w_measured) [Pa], the traction before relaxation."""
    return eta * b.compressive_strength_MPa * 1e6 * content_wt_pct / b.measured_content_wt_pct


def retained_traction_fraction(b: BinderProperties) -> float:
    """Fraction of the traction kept at long times: 1 crosslinked, 0 linear."""
    return 1.0 if b.crosslinked else 0.0


def fracture_energy_N_m(b: BinderProperties, content_wt_pct: float, particle_diameter_m: float) -> float:
    """Gamma [N/m] of the binder at ``content_wt_pct``: cohesion, else toughness x d."""
    gamma = b.cohesion_N_m if b.cohesion_N_m is not None else b.toughness_kJ_m3 * 1e3 * particle_diameter_m
    return gamma * content_wt_pct / b.measured_content_wt_pct


def void_nucleation_factor(gamma_N_m: float, gamma_chi_N_m: float) -> float:
    """chi = exp(-Gamma / Gamma_chi) in [0, 1]."""
    return math.exp(-gamma_N_m / gamma_chi_N_m)
