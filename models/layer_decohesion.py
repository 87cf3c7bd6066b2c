"""Cohesive fracture of a swelling composite layer: a pure law (floats, NumPy or PyBaMM
symbols; ``onset_strain`` NumPy only).

A particle phase that swells beyond its fabricated size (Si nanoparticles: radial
strain up to 0.56 at Li15Si4) pushes the composite's solid framework (SE, carbon and
binder around it) apart. Per unit area of a plane through the layer of thickness H, the
energy that a crack through the swelling phase's network would release is

.. math:: G = H \\left(\\frac{E_f s_+^2}{6} - P_{eff}\\, s_+\\right) \\quad [J.m^{-2}]

the elastic energy the misfit s_+ = max(s, 0) stores in the framework (modulus E_f, the
same compliance that closes rough contacts in ``contact_law``; E_f s^2 / 6 is the mean
energy density E_f eps^2 / 2 of a misfit rising from 0 to s across the layer, as a
lithiation front through an ionically limited electrode leaves it) less the work the
layer does against the effective stack pressure to open. The layer cracks where G
reaches its cohesive fracture energy Gamma = Gamma_binder + Gamma_SE: the binder's
cohesion (SAICAS, cut at mid-depth: exactly this fracture; Choi 2025) plus the
fracture energy of the cold-pressed SE itself, K_IC^2 / E = (0.23 MPa m^0.5)^2 / 18.5 GPa
= 2.9 J/m2 (McGrogan et al., Adv. Energy Mater. 7 (2017) 1602011). Particles of the
swelling phase cut off by the cracks are isolated. The local fracture energy scatters
(relative width w, log-logistic), so the decohered fraction is

.. math:: \\zeta = \\frac{r^{1/w}}{1 + r^{1/w}}, \\qquad r = \\frac{\\max(G, 0)}{\\Gamma}

exactly 0 wherever the layer stores no releasable energy (shrinking phases such as NCM,
graphite above a few MPa) and 1/2 at G = Gamma. Onset: G = Gamma at

.. math:: s^* = \\frac{3}{E_f}\\left(P + \\sqrt{P^2 + \\frac{2 E_f \\Gamma}{3 H}}\\right)

so pressure and cohesion both delay it. E_f is calibrated on Kwon 2022's pressure
dependence, H is the electrode thickness, Gamma is measured; the scatter w = 0.05
(``"Layer fracture energy scatter"``) is assumed.

Limits: the factor 1/6 is an argument, not a cited form. Thin-film fracture
mechanics (Hutchinson & Suo, Adv. Appl. Mech. 29 (1992) 63) gives G = Z sigma^2 H / E'
for a film under a uniform misfit, Z = 1/2 for steady-state delamination and 1.98 for
channel cracks, i.e. G = Z E' s^2 H; the 1/6 is below both. With Choi 2025's Si at its
practical 1700 mAh/g (radial strain at most 0.33), G stays below every binder's
cohesion at 48 MPa and the layer cracks only at low pressure (16 MPa); the prefactor
has not been fitted on a named row.
"""

from __future__ import annotations

import operator

import numpy as np

#: Fracture energy of cold-pressed sulfide SE [J.m-2]: K_IC^2 / E with K_IC = 0.23
#: MPa m^0.5 and E = 18.5 GPa (McGrogan et al., Adv. Energy Mater. 7 (2017) 1602011).
SE_FRACTURE_ENERGY_J_M2 = 0.23e6**2 / 18.5e9


def energy_release_rate(s_pos, pressure_Pa, framework_modulus_Pa, thickness_m):
    """G = H (E_f s+^2 / 6 - P s+) [J.m-2]; ``s_pos`` is the swelling part max(s, 0)."""
    return thickness_m * (framework_modulus_Pa * s_pos * s_pos / 6 - pressure_Pa * s_pos)


def decohered_fraction(G_pos, fracture_energy_J_m2, scatter, power=operator.pow):
    """zeta = r^(1/w) / (1 + r^(1/w)), r = G+ / Gamma [-]; ``G_pos`` = max(G, 0) >= 0.

    ``power(x, y)`` computes x^y (CasADi SX passes one whose derivative in y stays
    finite at x = 0: ``contact_law.casadi_power``)."""
    q = power(G_pos / fracture_energy_J_m2, 1 / scatter)
    return q / (1 + q)


def onset_strain(pressure_Pa, fracture_energy_J_m2, framework_modulus_Pa, thickness_m):
    """Radial strain s* at which G = Gamma [-] (closed form of the quadratic)."""
    P, E = pressure_Pa, framework_modulus_Pa
    return 3 / E * (P + np.sqrt(P * P + 2 * E * fracture_energy_J_m2 / (3 * thickness_m)))


def decohered_fraction_of_strain(s, pressure_Pa, framework_modulus_Pa, thickness_m,
                                 fracture_energy_J_m2, scatter, positive=lambda y: np.maximum(y, 0.0),
                                 power=operator.pow):
    """zeta from a radial strain and pressure: G of the swelling part, zeta of G's positive
    part, both taken by ``positive`` (default max(., 0) on NumPy values; the contact law's
    node and the fast path's drivers pass its C1-smooth relu_h), ``power`` as in
    :func:`decohered_fraction`."""
    G = energy_release_rate(positive(s), pressure_Pa, framework_modulus_Pa, thickness_m)
    return decohered_fraction(positive(G), fracture_energy_J_m2, scatter, power=power)
