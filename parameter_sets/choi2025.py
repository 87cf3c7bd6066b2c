"""Choi et al., J. Energy Chem. (2025): NBR binder solvent in natural-graphite/Si anodes.

Cell (from the paper's experimental section; BibTeX key ``Choi2025`` in
``ssbsim/citations.bib``): natural graphite : Si
nanoparticles = 90 : 10; AM : Li6PS5Cl (3 um) : NBR = 70 : 26 : 4 (wet, NBR dissolved in
anisole, toluene or p-xylene); 3.1 mg/cm2 AM (0.15C = 0.31 mA/cm2, i.e. 1C = 667 mAh/g);
Li metal counter electrode; 0.01-2 V vs Li; 60 C; 80 / 48 / 16 MPa. At 3 % voids the
electrode is 23 um thick, as measured (22 um pristine). Graphite R = 7.5 um (natural
graphite d50 ~15 um) and Si R = 50 nm (nanoparticles) are typical, not measured values.

The solvents change the binder's chain conformation and so its cohesion / adhesion
(``BINDERS``) and the electrode's packing: at the same loading the coiled binder's
layer is 14 % thicker (25 against 22 um, :data:`PRISTINE_THICKNESS_UM`), so it holds more
voids and a thinner SE network. The cohesion sets the binder's void-nucleation factor
and the layer's fracture energy, the adhesion the traction at the SE layer. The Si
nanoparticles swell (radial strain up to 0.33 at their practical capacity), but at 5.7
vol% of the layer their mean misfit stores ~4 J/m2, far below any binder's cohesion
(``models.layer_decohesion``), so the layer does not crack; Si is lost by the contact
law (the measured plateau split gives Si 224 / 188 / 183 mAh/g, more than its practical
170). Every lithiation is CC-CV to 0.01 V (CV until
the current falls to 10 % of the CC current) and every delithiation CC to 2 V; the
paper's "discharge" capacities are the delithiations (``experiments/choi2025.toml``: 3
formation cycles at 0.15C, 3 cycles each at 0.15 / 0.3 / 0.75 / 1.5C, 100 cycles at
0.3C).
"""

from dataclasses import replace

from ssbsim.citations import LAW_CITATIONS
from ssbsim.models import strain

from . import interphase
from .components import ANODE_SE_NETWORK_BRUGGEMAN_EXPONENT, BinderChoice, CompositeRecipe, half_cell
from .materials import GRAPHITE, LPSCL, SILICON
from .mechanics import BINDERS as _MEASURED

TEMPERATURE_C = 60.0
SEPARATOR_THICKNESS_M = 500e-6
AREA_CM2 = 1.0
ONE_C_MAH_G = 0.31 / 0.15 / 3.1 * 1e3

STACK_PRESSURE_MPA = 48.0
#: SAICAS cohesion / adhesion strengths (tests/data/calibration_points.csv).
BINDERS = {
    "nbr-anisole": BinderChoice(_MEASURED["NBR-anisole"], "wet", "NBR dissolved in anisole (extended chains)"),
    "nbr-toluene": BinderChoice(_MEASURED["NBR-toluene"], "wet", "NBR dissolved in toluene (coiled)"),
    "nbr-xylene": BinderChoice(_MEASURED["NBR-xylene"], "wet", "NBR dissolved in p-xylene (coiled)"),
}
WINDOW_V = (0.01, 2.0)  # vs Li/Li+

#: Practical capacities of the paper's materials [mAh/g] (Choi 2025, from the authors'
#: earlier half cells in the same 0.01-2 V window; calibration_points.csv rows
#: choi2025-practical-capacity-*): the stoichiometry x = 0 ... 1 of each phase spans
#: its practical capacity, not the theoretical one, so no phase can give more than the
#: paper's material does (the 90 : 10 mix at most 0.9 x 370 + 0.1 x 1700 = 503 mAh/g).
#: Why c_max from the practical capacity rather than a window of the theoretical one:
#: the practical capacity is measured between the same cut-offs, so the OCP spans the
#: whole window over it (x = 0 at 2 V, x = 1 at 0.01 V); a window inside the theoretical
#: x would need a second, unmeasured bound. Si's volume follows its true Li content,
#: eps_v = 2.8 x 1700 / 3579 (``strain.practical_strain``).
PRACTICAL_CAPACITY_MAH_G = {"graphite": 370.0, "Si": 1700.0}
NATURAL_GRAPHITE = replace(GRAPHITE, specific_capacity_mAh_g=PRACTICAL_CAPACITY_MAH_G["graphite"],
                           particle_radius_m=7.5e-6)
SI_NANOPARTICLES = replace(
    SILICON, specific_capacity_mAh_g=PRACTICAL_CAPACITY_MAH_G["Si"], particle_radius_m=50e-9,
    volumetric_strain=strain.practical_strain(
        strain.silicon_strain, PRACTICAL_CAPACITY_MAH_G["Si"] / SILICON.specific_capacity_mAh_g),
)

ANODE = CompositeRecipe(
    phases=(NATURAL_GRAPHITE, SI_NANOPARTICLES),
    phase_mass_fractions=(0.9, 0.1),
    am_wt=70.0, se_wt=26.0, carbon_wt=0.0, binder_wt=4.0, binder="NBR", process="wet",
    se=LPSCL, active_loading_mg_cm2=3.1, void_fraction=0.03,
    se_particle_radius_m=1.5e-6,  # Li6PS5Cl 3 um (Choi 2025)
    # Pristine state 2e-3: with this cell's strong ionic polarisation, emptier Si particles
    # near the separator drive the steep Si OCP and stall IDA on delithiation to 2 V.
    initial_stoichiometry=(2e-3, 2e-3), carbon_network_conductivity_S_m=100.0,
    # the anodes' SE-network exponent, fitted on this cell's rate test (components)
    bruggeman_exponent=ANODE_SE_NETWORK_BRUGGEMAN_EXPONENT,
)


#: Pristine electrode thickness [um] on cross-sections (calibration_points.csv, rows
#: ``thickness_change``: 22 -> 27 um with NBR in anisole, 25 -> 36 um in toluene): the same
#: 3.1 mg/cm2 of active material packs into a 14 % thicker layer with the coiled binder.
#: p-xylene's was not measured: it takes toluene's, the other coiled-chain solvent.
PRISTINE_THICKNESS_UM = {"nbr-anisole": 22.0, "nbr-toluene": 25.0, "nbr-xylene": 25.0}


def pristine_void_fraction(binder: str) -> float:
    """The ``binder``'s pristine void fraction [-]: ANODE's 3 % (assumed, as Jo 2024's
    image analysis of pressed composites) for NBR in anisole, whose layer the recipe's
    solids fill to 23 um (22 measured), and for the others the same solids spread over
    the measured thickness ratio, 1 - 0.97 L_anisole / L_binder (14.6 % at 25 um)."""
    reference, thickness = PRISTINE_THICKNESS_UM["nbr-anisole"], PRISTINE_THICKNESS_UM[binder]
    if thickness == reference:
        return ANODE.void_fraction
    return 1.0 - (1.0 - ANODE.void_fraction) * reference / thickness


def get_parameter_values(binder: str = "nbr-anisole", binder_wt: float = ANODE.binder_wt, process: str = "wet",
                         stack_pressure_MPa: float = STACK_PRESSURE_MPA):
    """NG-Si composite | Li6PS5Cl | Li half cell (the composite is PyBaMM's positive
    electrode), at the binder's measured pristine thickness (:func:`pristine_void_fraction`)."""
    recipe = replace(ANODE.with_binder(binder_wt, process, binder_props=BINDERS[binder].properties),
                     void_fraction=pristine_void_fraction(binder))
    return half_cell(
        recipe, LPSCL,
        SEPARATOR_THICKNESS_M, AREA_CM2, ONE_C_MAH_G, *WINDOW_V, TEMPERATURE_C, 0.0,
        stack_pressure_MPa,
    ) | interphase.parameters(("Primary: ", "Secondary: ")) | {"citations": ["Choi2025", "Chen2020", "Ai2022", *LAW_CITATIONS]}
