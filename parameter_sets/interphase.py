"""Reduction of the sulfide SE on a lithiating anode: the first-cycle irreversible loss.

Below its reduction potential the argyrodite takes Li and electrons from a lithiated
anode particle it touches,

    Li6PS5Cl + 8 Li+ + 8 e-  ->  5 Li2S + Li3P + LiCl        (U_red = 1.71 V vs Li/Li+)

(thermodynamic window 1.71-2.01 V: Zhu, He, Mo, ACS Appl. Mater. Interfaces 7 (2015)
23685; products found by XPS at Li | Li6PS5X: Wenzel et al., Solid State Ionics 318
(2018) 102). The products form a passivating interphase whose growth is limited by
transport through it: its resistance grows as sqrt(t) (Wenzel 2018), as a film
that thickens by diffusion, L dL/dt ~ D.

ssbsim uses PyBaMM's ``"SEI": "interstitial-diffusion limited"`` submodel on every
particle phase of the anode: the film grows as fast as Li crosses it as interstitials
(Single, Latz, Horstmann, ChemSusChem 11 (2018) 1950; PyBaMM's form, Marquis's thesis
eq. 5.96),

    j_red = -F D_Li c_Li,0 exp(-F (phi_s - phi_e) / RT) / L,     dL/dt ~ -V_m j_red / (z F)

The interstitials at the particle's side of the film are in equilibrium with its
lithium, so their concentration falls tenfold for every ~66 mV (60 C) the particle's
potential rises: the reduction runs while the anode is lithiated (graphite's stages,
the CV hold at 0.01 V) and all but stops on the delithiation. That is what Choi 2025's
anode shows: NBR in anisole gives back 510 mAh/g on its first delithiation, more than
the 503 the 90 : 10 mix can give (0.9 x 370 + 0.1 x 1700), so the ~152 mAh/g of its
first-cycle loss were all taken on the lithiation. A film limited by the SE reaching
the particle (PyBaMM's ``"ec reaction limited"``, Yang et al., J. Power Sources 360
(2017) 28), whose rate does not depend on the potential below ~1.6 V, took 29 mAh/g
more on the delithiation and gave 471. Growth stays parabolic at a fixed potential
(the rate ~ 1 / L), large in the first lithiation and falling cycle after cycle (the CE
rises toward 1). The electrode's SE is a finite inventory: the reaction is scaled by
the fraction of it not yet reduced (``models.interphase_inventory``). The reaction
needs the particle's surface: Si nanoparticles (R = 50 nm) carry ~20x the area of
graphite per volume and take most of the loss, and a particle cut off by contact loss
stops growing its film, keeping its Li (stranded).

Constants (``SE_REDUCTION``): z = 8 Li per formula unit; molar volume of the products
5 Li2S + Li3P + LiCl = 5 x 27.7 + 36.2 + 20.5 = 195 cm3/mol (M / rho of Li2S 45.95 g/mol
/ 1.66 g/cm3, Li3P 51.8 / 1.43, LiCl 42.39 / 2.07, handbook densities); the SE's
concentration c_SE = rho / M = 1640 kg/m3 / 0.2684 kg/mol = 6110 mol/m3 (the inventory
the reduction draws on); the initial film 5 nm (PyBaMM's OKane2022 value, assumed); the
interstitials' concentration at 0 V vs Li, c_Li,0 = 15 mol/m3 (PyBaMM's Ai2020 value,
assumed: only the product D_Li c_Li,0 enters); the film's transport activation energy
is the SE's Li+ conduction's, 32 kJ/mol (Kraft et al., JACS 139 (2017) 10909; assumed:
Li+ transport through the Li2S / Li3P film limits it). The onset U_red = 1.71 V is kept
as PyBaMM's SEI open-circuit potential (it does not enter this law: at 1.71 V the rate
is e^-60 of its value at 0 V). One constant is fitted: the interstitial diffusivity
D_Li, on Choi 2025's first-cycle CE of NBR in anisole at 48 MPa (77 %, row
``choi2025-ice-anisole``; ``scripts/calibrate_choi2025.py``).
"""

from __future__ import annotations

from .materials import LPSCL

#: Li6PS5Cl molar mass [kg.mol-1] (6 x 6.94 + 30.97 + 5 x 32.06 + 35.45 g/mol).
LI6PS5CL_MOLAR_MASS_KG_MOL = 0.26836
#: Product molar volumes [m3.mol-1] (M / rho): Li2S, Li3P, LiCl.
PRODUCT_MOLAR_VOLUME_M3_MOL = {"Li2S": 45.95e-3 / 1660.0, "Li3P": 51.8e-3 / 1430.0, "LiCl": 42.39e-3 / 2070.0}

SE_REDUCTION = {
    "reduction potential [V]": 1.71,
    "Li per formula unit": 8.0,
    "product molar volume [m3.mol-1]": 5 * PRODUCT_MOLAR_VOLUME_M3_MOL["Li2S"]
    + PRODUCT_MOLAR_VOLUME_M3_MOL["Li3P"] + PRODUCT_MOLAR_VOLUME_M3_MOL["LiCl"],
    "SE concentration [mol.m-3]": LPSCL.density_kg_m3 / LI6PS5CL_MOLAR_MASS_KG_MOL,
    "initial thickness [m]": 5e-9,
    "activation energy [J.mol-1]": LPSCL.activation_energy_J_mol,
    "interstitial concentration at 0 V [mol.m-3]": 15.0,
    # fitted on choi2025-ice-anisole (scripts/calibrate_choi2025.py)
    "interstitial diffusivity [m2.s-1]": 1.09e-16,
}


def parameters(phase_prefixes=("",), constants=None) -> dict:
    """PyBaMM entries of the ``"interstitial-diffusion limited"`` SEI for each phase prefix
    (``"Primary: "``, ``"Secondary: "`` or ``""``)."""
    c = SE_REDUCTION | (constants or {})
    out = {}
    for pre in phase_prefixes:
        out |= {
            f"{pre}SEI open-circuit potential [V]": c["reduction potential [V]"],
            f"{pre}Ratio of lithium moles to SEI moles": c["Li per formula unit"],
            f"{pre}SEI partial molar volume [m3.mol-1]": c["product molar volume [m3.mol-1]"],
            # the SE's inventory (models.interphase_inventory, models.operando)
            f"{pre}EC initial concentration in electrolyte [mol.m-3]": c["SE concentration [mol.m-3]"],
            f"{pre}Initial SEI thickness [m]": c["initial thickness [m]"],
            f"{pre}SEI growth activation energy [J.mol-1]": c["activation energy [J.mol-1]"],
            f"{pre}Lithium interstitial reference concentration [mol.m-3]":
                c["interstitial concentration at 0 V [mol.m-3]"],
            f"{pre}SEI lithium interstitial diffusivity [m2.s-1]": c["interstitial diffusivity [m2.s-1]"],
            # the film's ohmic drop is not in the main reaction ("SEI film resistance":
            # "none"), so it is not in the reduction's overpotential either
            f"{pre}SEI resistivity [Ohm.m]": 0.0,
        }
    return out

