"""Jo et al., J. Electrochem. Soc. (2024): NBR content in sulfide composite electrodes.

Cells (from the paper's experimental section; BibTeX key ``Jo2024`` in
``ssbsim/citations.bib``):

* cathode: NCM811 : Li6PS5Cl : Super C : NBR = 70 : 28.5 : 1.5 : x (x = 0.5 ... 2.5 wt%,
  wet slurry), 11 mg/cm2 NCM811, 1C = 2.0 mA/cm2 (182 mAh/g); void fraction 3.0 %
  (image analysis). The reported 100 um thickness is inconsistent with 11 mg/cm2 at 3 %
  voids (that gives ~52 um); we keep the measured loading and porosity.
* anode: Si-graphite : Li6PS5Cl : NBR = 70 : 30 : x, 30 um, 2.5 mg/cm2,
  1C = 2.8 mA/cm2 (1120 mAh/g). The Si-C is made from graphite : Si : sucrose =
  55 : 35 : 10; sucrose chars to carbon (yield ``SUCROSE_CARBON_YIELD``, assumed 0.25:
  sucrose-derived hard carbons keep ~20-30 wt%), which we count with graphite. So the
  active material holds 35 / (55 + 35 + 2.5) = 37.8 wt% Si (37.0-37.6 % for any yield
  from 0.2 to 0.42, the stoichiometric carbon of C12H22O11). The reported 30 um at 2.5 mg/cm2 would
  mean 41 % voids, which leaves too thin an SE network (eps_SE = 0.22) for the measured
  0.05C capacity; we use the 3 % voids measured on the pressed cathodes (-> 18 um).
* The anode's active material is one powder, a Si-graphite composite ("SiC"): Si sits
  inside its particles (37 vol% at 37.8 wt%), so the SE and the composite framework
  see the particle's swelling, phi_Si eps_Si(x) (``strain.embedded_strain``), at the
  particle's radius, not that of free Si (Choi 2025's nanoparticles are a powder of
  their own). The two PyBaMM phases keep Si's and graphite's own OCPs; their
  stoichiometries span practical capacities (``SIC_PRACTICAL_CAPACITY_MAH_G``): the
  powder's is the paper's 1C basis, 1120 mAh/g, and Si takes what graphite (372) leaves.
* Li-In counter electrodes, 75 MPa, 30 C. Windows: full cells 2.0-4.3 V (the paper);
  half cells (not stated in the paper) cathode 3.0-4.3 V vs Li/Li+, anode
  0.01-1.5 V vs Li/Li+.
* Protocol: a preconditioning cycle at 0.05C, then 0.5C cycling with a CC-CV charge
  (the CV's end is not stated: C/50 assumed) for 150 cycles
  (``experiments/jo2024.toml``). The preconditioning's charge is CC-CV too, by
  assumption (``presets.Preset.cv_cutoff``): Jo added the CV "because it improved
  capacity at high current", which hints that the 0.05C cycle had none.
* SE separator layer 500 um of Li6PS5Cl (assumed, typical pellet).

OCPs, diffusivities and exchange currents: ``materials`` (PyBaMM Chen2020 and
Chen2020_composite sets, Ai 2020, Mark 2016).
"""

from dataclasses import replace

from ssbsim.citations import LAW_CITATIONS, NCM_CITATIONS
from ssbsim.models import strain

from . import interphase
from .components import (ANODE_SE_NETWORK_BRUGGEMAN_EXPONENT, LI_IN_POTENTIAL_VS_LI, BinderChoice, CompositeRecipe,
                         full_cell, half_cell)
from .materials import GRAPHITE, LPSCL, NCM811, PRISTINE_SI_GRAPHITE_STO, SILICON
from .mechanics import BINDERS as _MEASURED

TEMPERATURE_C = 30.0
STACK_PRESSURE_MPA = 75.0
#: NBR (25 % nitrile); not tested mechanically in Jo 2024: Choi 2025's NBR in toluene.
BINDERS = {"nbr": BinderChoice(_MEASURED["NBR-toluene"], "wet", "nitrile butadiene rubber (25 % nitrile)")}
CATHODE_WINDOW_V = (3.0, 4.3)  # vs Li/Li+
ANODE_WINDOW_V = (0.01, 1.5)  # vs Li/Li+
FULL_WINDOW_V = (2.0, 4.3)
SEPARATOR_THICKNESS_M = 500e-6
AREA_CM2 = 1.0
CATHODE_1C_MAH_G = 2.0 / 11.0 * 1e3  # 2.0 mA/cm2 over 11 mg/cm2
ANODE_1C_MAH_G = 2.8 / 2.5 * 1e3  # 2.8 mA/cm2 over 2.5 mg/cm2
#: Si-C precursor of Jo 2024, graphite : Si : sucrose by weight.
SIC_PRECURSOR_WT = {"graphite": 55.0, "Si": 35.0, "sucrose": 10.0}
#: Carbon left by sucrose after carbonisation [g C per g sucrose] (assumed, see above).
SUCROSE_CARBON_YIELD = 0.25
SI_MASS_FRACTION = SIC_PRECURSOR_WT["Si"] / (
    SIC_PRECURSOR_WT["graphite"] + SIC_PRECURSOR_WT["Si"] + SUCROSE_CARBON_YIELD * SIC_PRECURSOR_WT["sucrose"]
)

#: Volume fraction of Si in the Si-graphite composite particles.
SI_VOLUME_FRACTION_IN_PARTICLE = (SI_MASS_FRACTION / SILICON.density_kg_m3) / (
    SI_MASS_FRACTION / SILICON.density_kg_m3 + (1 - SI_MASS_FRACTION) / GRAPHITE.density_kg_m3
)
#: Practical capacity of the Si-C powder [mAh/g_SiC]: the paper's own 1C basis (2.8 mA/cm2
#: over 2.5 mg/cm2). As for Choi 2025's materials (``choi2025.PRACTICAL_CAPACITY_MAH_G``),
#: the stoichiometry x = 0 ... 1 of each phase spans a practical capacity, not the
#: theoretical one: Si in a sulfide composite does not reach Li15Si4's 3579 mAh/g between
#: these cut-offs (with it the model lithiated 1567 mAh/g_SiC, and the full cell's N/P was
#: 1.8 where the paper's two 1C bases, 2.8 and 2.0 mA/cm2, design it at 1.4).
SIC_PRACTICAL_CAPACITY_MAH_G = ANODE_1C_MAH_G
#: Practical capacity of the Si in it [mAh/g_Si]: what the powder's practical capacity
#: leaves after graphite's (taken at its theoretical 372, as no practical value for Jo's
#: graphite is stated): (1120 - 0.622 x 372) / 0.378 = 2349.
SI_PRACTICAL_CAPACITY_MAH_G = (SIC_PRACTICAL_CAPACITY_MAH_G - (1 - SI_MASS_FRACTION) * GRAPHITE.specific_capacity_mAh_g
                               ) / SI_MASS_FRACTION
#: Si embedded in the composite particles (see the module docstring), x on its practical
#: capacity; its volume follows its true Li content (``strain.practical_strain``).
SILICON_IN_COMPOSITE = replace(
    SILICON, specific_capacity_mAh_g=SI_PRACTICAL_CAPACITY_MAH_G,
    volumetric_strain=strain.embedded_strain(
        strain.practical_strain(strain.silicon_strain, SI_PRACTICAL_CAPACITY_MAH_G / SILICON.specific_capacity_mAh_g),
        SI_VOLUME_FRACTION_IN_PARTICLE),
    contact_radius_m=GRAPHITE.particle_radius_m, host_volume_fraction=SI_VOLUME_FRACTION_IN_PARTICLE,
)

CATHODE = CompositeRecipe(
    phases=(NCM811,), phase_mass_fractions=(1.0,),
    am_wt=70.0, se_wt=28.5, carbon_wt=1.5, binder_wt=0.5, binder="NBR", process="wet",
    se=LPSCL, active_loading_mg_cm2=11.0, void_fraction=0.03, initial_stoichiometry=(0.99,),
    se_particle_radius_m=0.5e-6,  # Li6PS5Cl d50 1 um in the composites (Jo 2024)
)

ANODE = CompositeRecipe(
    phases=(GRAPHITE, SILICON_IN_COMPOSITE), phase_mass_fractions=(1 - SI_MASS_FRACTION, SI_MASS_FRACTION),
    am_wt=70.0, se_wt=30.0, carbon_wt=0.0, binder_wt=0.5, binder="NBR", process="wet",
    se=LPSCL, active_loading_mg_cm2=2.5, void_fraction=0.03,
    initial_stoichiometry=PRISTINE_SI_GRAPHITE_STO, carbon_network_conductivity_S_m=100.0,
    se_particle_radius_m=0.5e-6,  # Li6PS5Cl d50 1 um in the composites (Jo 2024)
    bruggeman_exponent=ANODE_SE_NETWORK_BRUGGEMAN_EXPONENT,  # the anodes' (components)
)


def get_parameter_values(binder: str = "nbr", binder_wt: float = CATHODE.binder_wt, process: str = "wet",
                         stack_pressure_MPa: float = STACK_PRESSURE_MPA):
    """NCM811 composite | Li6PS5Cl | Li-In half cell of Jo 2024 (the default system)."""
    return half_cell(
        CATHODE.with_binder(binder_wt, process, binder_props=BINDERS[binder].properties), LPSCL,
        SEPARATOR_THICKNESS_M, AREA_CM2, CATHODE_1C_MAH_G, *CATHODE_WINDOW_V, TEMPERATURE_C,
        LI_IN_POTENTIAL_VS_LI, stack_pressure_MPa,
    ) | {"citations": ["Jo2024", "Chen2020", "Ai2022", *LAW_CITATIONS, *NCM_CITATIONS]}


def get_anode_half_cell_parameter_values(binder: str = "nbr", binder_wt: float = ANODE.binder_wt,
                                         process: str = "wet",
                                         stack_pressure_MPa: float = STACK_PRESSURE_MPA):
    """Si-graphite composite | Li6PS5Cl | Li-In half cell (the composite is PyBaMM's
    positive electrode)."""
    return half_cell(
        ANODE.with_binder(binder_wt, process, binder_props=BINDERS[binder].properties), LPSCL,
        SEPARATOR_THICKNESS_M, AREA_CM2, ANODE_1C_MAH_G, *ANODE_WINDOW_V, TEMPERATURE_C,
        LI_IN_POTENTIAL_VS_LI, stack_pressure_MPa,
    ) | interphase.parameters(("Primary: ", "Secondary: ")) | {"citations": ["Jo2024", "Chen2020", "Ai2022", *LAW_CITATIONS, *NCM_CITATIONS]}


def get_full_cell_parameter_values(binder: str = "nbr", binder_wt: float = CATHODE.binder_wt,
                                   process: str = "wet",
                                   stack_pressure_MPa: float = STACK_PRESSURE_MPA):
    """NCM811 composite | Li6PS5Cl | Si-graphite composite full cell."""
    props = BINDERS[binder].properties
    return full_cell(
        CATHODE.with_binder(binder_wt, process, binder_props=props),
        ANODE.with_binder(binder_wt, process, binder_props=props),
        LPSCL, SEPARATOR_THICKNESS_M, AREA_CM2, CATHODE_1C_MAH_G, *FULL_WINDOW_V, TEMPERATURE_C,
        stack_pressure_MPa, pristine_v_min=1.0,
    ) | interphase.parameters(("Primary: ", "Secondary: ")) | {"citations": ["Jo2024", "Chen2020", "Ai2022", *LAW_CITATIONS, *NCM_CITATIONS]}
