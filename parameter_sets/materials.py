"""Material records shared by the cell systems: active materials and sulfide SEs.

Every number names its source. Where the four papers (Kwon 2022, Jo 2024, Emley 2023,
Choi 2025) do not give a value, it comes from PyBaMM's own parameter sets or the cited
literature. The maximum Li concentration is computed from the theoretical specific
capacity and the crystal density, c_max = q_th * rho / F, so that capacities per gram
of active material are physical.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pybamm

from ssbsim.models import strain

from .ncm_diffusivity import NCM_DIFFUSIVITY

F = 96485.33212  # [C.mol-1]
R = 8.314462618  # [J.mol-1.K-1]
T_REF = 298.15  # [K]


def _arrhenius(activation_energy, T):
    return pybamm.exp(activation_energy / R * (1 / T_REF - 1 / T))


# --- open-circuit potentials (functions of stoichiometry, return V vs Li/Li+) --------


def ncm811_ocp_Chen2020(sto):
    """NMC811 OCP vs Li/Li+ [V]: the fit of Chen et al., J. Electrochem. Soc. 167
    (2020) 080534, as in PyBaMM's ``Chen2020`` set (its GITT data span x = 0.27 ... 0.91;
    it levels off at 3.487 V at x = 1). The NCM materials use it through :func:`ncm_ocp`."""
    return (
        -0.8090 * sto
        + 4.4875
        - 0.0428 * pybamm.tanh(18.5138 * (sto - 0.5542))
        - 17.7326 * pybamm.tanh(15.7890 * (sto - 0.3117))
        + 17.5842 * pybamm.tanh(15.9308 * (sto - 0.3120))
    )


#: (a [V], k [-], b [-]) of the end-of-lithiation term -a exp(k x - b) of a layered
#: Li(Ni,Mn,Co)O2's OCP: the fit to a measured NMC532 half-cell OCV of Mohtat et al.,
#: J. Electrochem. Soc. 167 (2020) 110561 (PyBaMM's ``NMC_ocp_PeymanMPM``, ``Mohtat2020``).
NMC_END_OF_LITHIATION = (0.5623e-4, 109.451, 100.006)


def layered_oxide_end_of_lithiation(sto):
    """The fall of a layered oxide's OCP as its last vacant Li sites fill [V]:
    -a exp(k x - b), (a, k, b) = :data:`NMC_END_OF_LITHIATION` (Mohtat 2020, NMC532).

    It is below 0.1 mV for x <= 0.91 and -0.08 / -0.24 / -0.71 V at x = 0.98 / 0.99 / 1.
    The measured NCA OCV of Kim et al. (PyBaMM's ``nca_ocp_Kim2011`` data, not used
    here) falls alike: it crosses 3.45 ... 3.1 V within 0.003 in x of :func:`ncm_ocp`
    (``tests/unit/test_ncm_ocp.py``)."""
    a, k, b = NMC_END_OF_LITHIATION
    return -a * pybamm.exp(k * sto - b)


def ncm_ocp(sto):
    """Ni-rich NCM OCP vs Li/Li+ [V]: :func:`ncm811_ocp_Chen2020` (GITT data of NMC811
    at x = 0.27 ... 0.91, where it is the fit) plus :func:`layered_oxide_end_of_lithiation`
    beyond its data. Chen's fit alone levels off at 3.49 V as x -> 1, so a discharge
    could not end on the OCP below ~3.45 V; measured layered-oxide OCVs fall below
    3.0 V there (NMC532, Mohtat 2020; NCA, Kim 2011). Used for NCM811, NCM711, NMC83."""
    return ncm811_ocp_Chen2020(sto) + layered_oxide_end_of_lithiation(sto)


def graphite_ocp_Ai2020(sto):
    """Graphite OCP vs Li/Li+ [V] (Enertech cell), Ai et al., J. Electrochem. Soc. 167
    (2020) 013512, via PyBaMM's ``Chen2020_composite`` set."""
    from pybamm.input.parameters.lithium_ion.Chen2020_composite import (
        graphite_ocp_Enertech_Ai2020,
    )

    return graphite_ocp_Enertech_Ai2020(sto)


def silicon_ocp_Mark2016(sto):
    """Silicon OCP vs Li/Li+ [V], mean of lithiation and delithiation branches, Verbrugge
    et al. (Mark 2016), via PyBaMM's ``Chen2020_composite`` set."""
    from pybamm.input.parameters.lithium_ion.Chen2020_composite import (
        silicon_ocp_average_Mark2016,
    )

    return silicon_ocp_average_Mark2016(sto)


def silicon_ocp_delithiation_Mark2016(sto):
    """Silicon's measured delithiation OCP branch vs Li/Li+ [V] (Verbrugge et al., Mark
    2016, via PyBaMM's ``Chen2020_composite`` set) with the end regularisation
    1e-4 (1/x + 1/(x - 1)) that PyBaMM's lithiation branch carries (< 1 mV for
    0.1 < x < 0.9): without it the branches' gap grows as 1e-4 / x at the ends, and a
    delithiation that ends at x ~ 1e-6 on the bounded branch would start the next
    lithiation ~100 V higher."""
    from pybamm.input.parameters.lithium_ion.Chen2020_composite import silicon_ocp_delithiation_Mark2016 as measured

    return measured(sto) + 1e-4 * (1 / sto + 1 / (sto - 1))


def silicon_ocp_branches_Mark2016():
    """Silicon's measured (lithiation, delithiation) OCP branches vs Li/Li+ [V] (Verbrugge
    et al., Mark 2016, via PyBaMM's ``Chen2020_composite`` set): 0.14-0.36 V apart, the
    delithiation branch the upper one. :func:`silicon_ocp_Mark2016` is PyBaMM's mean of
    the two without the delithiation branch's regularisation."""
    from pybamm.input.parameters.lithium_ion.Chen2020_composite import silicon_ocp_lithiation_Mark2016

    return silicon_ocp_lithiation_Mark2016, silicon_ocp_delithiation_Mark2016


def lto_ocp(sto):
    """Li4Ti5O12 OCP vs Li/Li+ [V]: the two-phase plateau at 1.55 V (Ohzuku et al.,
    J. Electrochem. Soc. 142 (1995) 1431) with ideal-solution end members,
    U = 1.55 + (R T_ref / F) ln((1 - x) / x), x the lithiation fraction of
    Li4+3xTi5O12."""
    return 1.55 + (R * T_REF / F) * pybamm.log((1 - sto) / sto)


# --- records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActiveMaterial:
    """An intercalation material. Units in field names; sources in the instances."""

    name: str
    ocp: Callable
    # the capacity x = 0 ... 1 spans: theoretical (1 Li per formula unit), or the practical
    # capacity a paper measured for its material in its voltage window (choi2025)
    specific_capacity_mAh_g: float
    density_kg_m3: float
    particle_radius_m: float  # the diffusion length (secondary particle or single crystal)
    # A constant D [m2.s-1] (Arrhenius with `diffusivity_activation_energy_J_mol`), or a
    # law D(sto, T) [m2.s-1] that carries its own temperature dependence
    # (``ncm_diffusivity.NcmDiffusivity``).
    diffusivity_m2_s: float | Callable
    exchange_current_rate_constant: float  # k in j0 = k sqrt(c_e c_s (c_max - c_s)) [A.m-2.(m3.mol-1)^1.5]
    diffusivity_activation_energy_J_mol: float = 3.0e4
    exchange_current_activation_energy_J_mol: float = 3.0e4
    volumetric_strain: Callable = strain.zero_strain  # eps_v(x), ``models.strain``
    contact_radius_m: float | None = None  # mechanical radius, default particle_radius_m
    # share of the swelling particles' volume that this phase is: 1 where the phase is its
    # own particles; Si embedded in Si-graphite particles (jo2024) is 0.37 of them, and its
    # ``volumetric_strain`` is theirs (the layer's misfit counts the particles' volume)
    host_volume_fraction: float = 1.0
    # measured (lithiation, delithiation) OCP branches, where the material's hysteresis is
    # large: the phase then follows the branch of the current's direction (PyBaMM's
    # "current sigmoid" OCP; their mean at rest), and ``ocp`` serves the models built
    # without the option (the virtual characterisations)
    ocp_branches: tuple[Callable, Callable] | None = None

    @property
    def max_concentration_mol_m3(self) -> float:
        """c_max = q_th * rho / F [mol.m-3]."""
        return self.specific_capacity_mAh_g * 3600.0 * self.density_kg_m3 / F  # mAh/g = Ah/kg

    def diffusivity(self, sto, T):
        """D(x, T) [m2.s-1]: the material's law D(x, T) if it has one, else
        D0 exp(Ea/R (1/T_ref - 1/T)) with the constant D0 = ``diffusivity_m2_s``."""
        if callable(self.diffusivity_m2_s):
            return self.diffusivity_m2_s(sto, T)
        return self.diffusivity_m2_s * _arrhenius(self.diffusivity_activation_energy_J_mol, T)

    def exchange_current_density(self, c_e, c_s_surf, c_s_max, T):
        return (
            self.exchange_current_rate_constant
            * _arrhenius(self.exchange_current_activation_energy_J_mol, T)
            * c_e**0.5
            * c_s_surf**0.5
            * (c_s_max - c_s_surf) ** 0.5
        )


@dataclass(frozen=True)
class SolidElectrolyte:
    """A sulfide solid electrolyte, a single-ion (t+ = 1) Li+ conductor."""

    name: str
    conductivity_S_m_at_30C: float
    activation_energy_J_mol: float
    density_kg_m3: float

    def conductivity(self, T):
        """sigma(T) = sigma_30C exp(-Ea/R (1/T - 1/303.15)) [S.m-1]."""
        return self.conductivity_S_m_at_30C * pybamm.exp(
            -self.activation_energy_J_mol / R * (1 / T - 1 / 303.15)
        )


#: Activation energies of the exchange currents whose rate constants are Chen et al.'s
#: (J. Electrochem. Soc. 167 (2020) 080534, as PyBaMM's ``Chen2020`` /
#: ``Chen2020_composite`` sets carry them) [J.mol-1]. LTO keeps the 30 kJ/mol default
#: (assumed). The diffusivities' 30 kJ/mol default is assumed (Chen 2020 gives none;
#: NCM's law carries its own, ``ncm_diffusivity``).
CHEN2020_EXCHANGE_CURRENT_ACTIVATION_ENERGY_J_MOL = {"NMC": 17800.0, "graphite": 35000.0, "Si": 35000.0}

# Layered NCM: Chen2020 NMC811 kinetics (PyBaMM ``Chen2020``: k = 3.42e-6); theoretical
# capacity 1 Li per formula unit (275-278 mAh/g), crystal density ~4.75 g/cm3. Li
# diffusion follows the measured, concentration-dependent D(x) of
# ``ncm_diffusivity.NCM_DIFFUSIVITY``: D falls by ~1.4 decades as x -> 1, so the lattice
# is not refilled at the end of the first discharge (the first-cycle loss of NCM is
# kinetic, Kasnatscheew et al., PCCP 18 (2016) 3956). The OCP falls below 3.0 V as the
# last sites fill (``ncm_ocp``), so the discharge ends on the OCP, not on a floor.
# Known limit: Chen2020's OCP reaches 4.3 V at x ~ 0.27, so the first charge
# (~202 mAh/g) is below NCM811's measured ~225 mAh/g, and NCM711 uses NCM811's OCP.
NCM811 = ActiveMaterial("NCM811", ncm_ocp, 275.5, 4750.0, 5.0e-6, NCM_DIFFUSIVITY, 3.42e-6,
                        exchange_current_activation_energy_J_mol=CHEN2020_EXCHANGE_CURRENT_ACTIVATION_ENERGY_J_MOL["NMC"],
                        volumetric_strain=strain.ncm_strain("NCM811"))
#: NCM711 (Kwon 2022): the same D(x) as NCM811 (no NCM711 data; Ni-rich layered oxide).
NCM711 = ActiveMaterial("NCM711", ncm_ocp, 277.0, 4700.0, 5.0e-6, NCM_DIFFUSIVITY, 3.42e-6,
                        exchange_current_activation_energy_J_mol=CHEN2020_EXCHANGE_CURRENT_ACTIVATION_ENERGY_J_MOL["NMC"],
                        volumetric_strain=strain.ncm_strain("NCM711"))
#: Single-crystal NMC83 (Emley 2023): d50 ~ 3.5 um, the crystal is the diffusion length.
NMC83 = ActiveMaterial("NMC83", ncm_ocp, 275.0, 4750.0, 1.75e-6, NCM_DIFFUSIVITY, 3.42e-6,
                       exchange_current_activation_energy_J_mol=CHEN2020_EXCHANGE_CURRENT_ACTIVATION_ENERGY_J_MOL["NMC"],
                       volumetric_strain=strain.ncm_strain("NMC83"))
#: Graphite: 372 mAh/g (LiC6), 2260 kg/m3; kinetics and D from Chen2020 (k = 6.48e-7).
GRAPHITE = ActiveMaterial(
    "graphite", graphite_ocp_Ai2020, 372.0, 2260.0, 5.86e-6, 3.3e-14, 6.48e-7,
    exchange_current_activation_energy_J_mol=CHEN2020_EXCHANGE_CURRENT_ACTIVATION_ENERGY_J_MOL["graphite"],
    volumetric_strain=strain.graphite_strain,
)
#: Silicon: 3579 mAh/g (Li15Si4), 2330 kg/m3; D and k from Chen2020_composite (k is
#: graphite's scaled by the phases' c_max, 28700 / 278000, as that set gives it). In
#: composites Si sits in ~1 um agglomerates: that is its mechanical (contact) radius. Its
#: OCP follows the measured lithiation or delithiation branch with the current.
SILICON = ActiveMaterial(
    "Si", silicon_ocp_Mark2016, 3579.0, 2330.0, 1.52e-6, 1.67e-14, 6.48e-7 * 28700 / 278000,
    exchange_current_activation_energy_J_mol=CHEN2020_EXCHANGE_CURRENT_ACTIVATION_ENERGY_J_MOL["Si"],
    volumetric_strain=strain.silicon_strain,
    contact_radius_m=1.0e-6,
    ocp_branches=silicon_ocp_branches_Mark2016(),
)
#: LTO: 175 mAh/g, 3480 kg/m3, R ~ 0.5 um, D ~ 1e-15 (Stewart et al., JES 2008).
LTO = ActiveMaterial("LTO", lto_ocp, 175.0, 3480.0, 0.5e-6, 1.0e-15, 1.0e-6)

#: Li6PS5Cl0.5Br0.5, 5.9 mS/cm at 30 C (Kwon 2022); Ea ~ 0.3 eV (argyrodites).
LPSCLBR = SolidElectrolyte("Li6PS5Cl0.5Br0.5", 0.59, 2.9e4, 1640.0)
#: Li6PS5Cl, ~3 mS/cm at 30 C and Ea ~ 0.33 eV (Kraft et al., JACS 139 (2017) 10909).
LPSCL = SolidElectrolyte("Li6PS5Cl", 0.30, 3.2e4, 1640.0)

#: Densities of the other solids [kg.m-3].
CARBON_DENSITY = 2000.0  # C65 / Super C / VGCF
BINDER_DENSITY = {"BR": 910.0, "NBR": 1000.0, "PTFE": 2200.0, "none": 1000.0}

#: Pristine (graphite, Si) stoichiometries. Graphite's OCP at 1e-3 is 1.52 V, above the
#: 1.5 V delithiation cut-off, so the first delithiation cannot extract Li the first
#: lithiation did not insert (CE <= 1); Si's at 5e-4 is 1.03 V (emptier Si makes the
#: steep OCP stall IDA). No SEI is modelled, so the anodes' first-cycle CE is ~1.
PRISTINE_SI_GRAPHITE_STO = (1e-3, 5e-4)
