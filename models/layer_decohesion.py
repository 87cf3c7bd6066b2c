"""Cohesive fracture of a swelling composite layer: a pure law (floats, NumPy or PyBaMM
symbols; ``onset_strain`` NumPy only).

A particle phase that swells beyond its fabricated size (Si nanoparticles: radial
strain up to 0.56 at Li15Si4) pushes the composite's solid framework (SE, carbon and
binder around it) apart. A crack through the layer releases the layer's mean misfit,
not the self-equilibrated fields around each particle: for swelling particles of
volume fraction phi in a framework of the same stiffness the layer's mean (Hill)
misfit strain is exact, eps_m = phi s (s the particles' radial strain). For a film of
thickness H under a uniform misfit, thin-film fracture mechanics gives the energy
release rate G = Z E eps_m^2 H (Hutchinson & Suo, Adv. Appl. Mech. 29 (1992) 63; stress
E eps_m), Z = 1/2 for a crack running parallel to the layer (steady-state
delamination; ``DELAMINATION_FACTOR``): the fracture a SAICAS cut at mid-depth measures.
Less the work the layer does against the effective stack pressure as it opens by
eps_m H:

.. math:: G = H \\left(Z E\\, (\\phi s_+)^2 - P_{eff}\\, \\phi s_+\\right) \\quad [J.m^{-2}]

The layer cracks where G reaches its cohesive fracture energy Gamma = Gamma_binder +
Gamma_SE: the binder's cohesion (SAICAS, cut at mid-depth; Choi 2025) plus the fracture
energy of the cold-pressed SE itself, K_IC^2 / E = (0.23 MPa m^0.5)^2 / 18.5 GPa = 2.9
J/m2 (McGrogan et al., Adv. Energy Mater. 7 (2017) 1602011). Particles of the swelling
phase cut off by the cracks are isolated. The local fracture energy scatters (relative
width w, log-logistic), so the decohered fraction is

.. math:: \\zeta = \\frac{r^{1/w}}{1 + r^{1/w}}, \\qquad r = \\frac{\\max(G, 0)}{\\Gamma}

exactly 0 wherever the layer stores no releasable energy (shrinking phases such as NCM,
graphite above a few MPa) and 1/2 at G = Gamma. Onset: G = Gamma at

.. math:: s^* = \\frac{P + \\sqrt{P^2 + 4 Z E \\Gamma / H}}{2 Z E \\phi}

so pressure and cohesion both delay it, and a dilute swelling phase needs a larger
strain. E is the layer's modulus (``"Composite layer modulus [Pa]"``, assumed), H the
electrode thickness, phi the volume fraction of the swelling particles (the phase's
active-material volume fraction, or its host particles' where it is embedded in them),
Gamma measured; the scatter w = 0.05 (``"Layer fracture energy scatter"``) is assumed.

What it gives: Choi 2025's Si nanoparticles (phi = 0.057 of the layer, s <= 0.33 at the
practical 1700 mAh/g) store at most 4 J/m2 in its 23 um layer (E = 1 GPa), against
68-190 J/m2 of cohesion: the layer does not crack at any pressure, and the Si the anode
loses is lost by the contact law (the gaps of shrinking particles, force-chain
rearrangement). At a cold-pressed SE's 18.5 GPa the p-xylene layer would sit at its
onset (G = 68-75 J/m2 from 16 to 0 MPa). For Si embedded in host particles (Jo 2024)
the strain is the host particles' and phi their share of the layer
(``"... swelling particle volume fraction"``): Jo's Si-graphite layer stores no
releasable energy at its 75 MPa and cracks below ~50 MPa. An earlier closure,
G = H (E s^2 / 6 - P s) with the particles' own strain as the layer's, ignored phi and
cracked every binder's layer at 16 MPa in the first cycle (ICE 60 %, where Choi
measured ~77 % at every pressure).
"""

from __future__ import annotations

import operator

import numpy as np

#: Fracture energy of cold-pressed sulfide SE [J.m-2]: K_IC^2 / E with K_IC = 0.23
#: MPa m^0.5 and E = 18.5 GPa (McGrogan et al., Adv. Energy Mater. 7 (2017) 1602011).
SE_FRACTURE_ENERGY_J_M2 = 0.23e6**2 / 18.5e9
#: Z of G = Z E eps_m^2 H for a crack parallel to a film under a uniform misfit
#: (steady-state delamination, no elastic mismatch; Hutchinson & Suo, Adv. Appl. Mech.
#: 29 (1992) 63).
DELAMINATION_FACTOR = 0.5


def energy_release_rate(s_pos, pressure_Pa, framework_modulus_Pa, thickness_m, volume_fraction):
    """G = H (Z E (phi s+)^2 - P phi s+) [J.m-2]; ``s_pos`` is the swelling part max(s, 0)
    of the particles' radial strain, ``volume_fraction`` phi their share of the layer."""
    misfit = volume_fraction * s_pos
    return thickness_m * misfit * (DELAMINATION_FACTOR * framework_modulus_Pa * misfit - pressure_Pa)


def decohered_fraction(G_pos, fracture_energy_J_m2, scatter, power=operator.pow):
    """zeta = r^(1/w) / (1 + r^(1/w)), r = G+ / Gamma [-]; ``G_pos`` = max(G, 0) >= 0.

    ``power(x, y)`` computes x^y (CasADi SX passes one whose derivative in y stays
    finite at x = 0: ``contact_law.casadi_power``)."""
    q = power(G_pos / fracture_energy_J_m2, 1 / scatter)
    return q / (1 + q)


def onset_strain(pressure_Pa, fracture_energy_J_m2, framework_modulus_Pa, thickness_m, volume_fraction):
    """Radial strain s* at which G = Gamma [-] (closed form of the quadratic)."""
    P, ZE = pressure_Pa, DELAMINATION_FACTOR * framework_modulus_Pa
    return (P + np.sqrt(P * P + 4 * ZE * fracture_energy_J_m2 / thickness_m)) / (2 * ZE * volume_fraction)


def decohered_fraction_of_strain(s, pressure_Pa, framework_modulus_Pa, thickness_m,
                                 fracture_energy_J_m2, scatter, volume_fraction, positive=lambda y: np.maximum(y, 0.0),
                                 power=operator.pow):
    """zeta from a radial strain and pressure: G of the swelling part, zeta of G's positive
    part, both taken by ``positive`` (default max(., 0) on NumPy values; the contact law's
    node and the fast path's drivers pass its C1-smooth relu_h), ``power`` as in
    :func:`decohered_fraction`."""
    G = energy_release_rate(positive(s), pressure_Pa, framework_modulus_Pa, thickness_m, volume_fraction)
    return decohered_fraction(positive(G), fracture_energy_J_m2, scatter, power=power)
