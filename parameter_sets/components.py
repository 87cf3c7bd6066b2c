"""Builders that turn a composite-electrode recipe into PyBaMM parameters.

Cathode and anode share one builder (same mechanism, different materials): a recipe
gives the weight fractions of active material (one or two particle phases), SE, carbon
and binder, the active loading and the void fraction; the builder returns the PyBaMM
entries for either the ``"positive"`` or the ``"negative"`` domain.

PyBaMM conventions used for a sulfide all-solid-state cell
-----------------------------------------------------------
* The SE is PyBaMM's "electrolyte" with cation transference number 1 (single-ion
  conductor), so no salt gradient forms; the electrode "porosity" is the SE volume
  fraction, and voids, carbon and binder are inert volume.
* ``"Electrolyte conductivity [S.m-1]"`` is the conductivity of the SE separator layer.
  The composite's effective ionic conductivity (``models.binder_coverage``)
  sigma_eff = sigma_SE eps^b f(w) enters through the transport option
  ``"tortuosity factor"``: B = (eps / tau) f(w) = sigma_eff / sigma_SE with the
  geometric tortuosity factor tau = eps^(1 - b); the model evaluates f(w)
  (``models.contact_transport``).
* The binder-covered fraction of the active surface enters through the interface
  utilisation submodel (``models.interface_contact``), which evaluates the coverage law.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pybamm

from ssbsim.models import binder_coverage as bc
from ssbsim.models import binder_laws
from ssbsim.models.binder_mechanics import BinderProperties

from .materials import BINDER_DENSITY, CARBON_DENSITY, ActiveMaterial, SolidElectrolyte
from .mechanics import binder_mechanics_parameters, contact_parameters

#: Exponent b of the SE network's effective conductivity, sigma_eff = sigma eps^b, from
#: Emley 2023's binder-free 70 wt% NMC composite (1.7e-4 S/cm with Li6PS5Cl at
#: 3 mS/cm and eps_SE = 0.488): b = ln(0.0567) / ln(0.488) = 4.0 (see tests).
SE_NETWORK_BRUGGEMAN_EXPONENT = 4.0
#: The same exponent of the graphite-based anodes' SE networks (Choi 2025's NG-Si, Jo
#: 2024's Si-C), fitted on the one anode measurement that identifies it, Choi's rate test
#: (``python scripts/calibrate_choi2025.py --network``; provenance ``choi2025-bruggeman``).
#: Why anodes and cathodes differ is not measured; the cathodes' 4.0 gives Choi's anode
#: 15 % of its 0.15C delithiation at 1.5C (93 % measured).
ANODE_SE_NETWORK_BRUGGEMAN_EXPONENT = 1.69

#: Li-In alloy sits 0.62 V above Li/Li+ (domain notes; Santhosha et al., Batteries &
#: Supercaps 2019).
LI_IN_POTENTIAL_VS_LI = 0.62


@dataclass(frozen=True)
class BinderChoice:
    """A binder a cell of a parameter set is made with: its measured mechanical
    properties (``mechanics.BINDERS``), the process that makes the electrode
    (``"wet"`` or ``"dry"``) and what the binder is. Its default content is the
    recipe's ``binder_wt``."""

    properties: BinderProperties
    process: str
    description: str = ""
    #: where the binder's own properties were not measured, the measured binder whose
    #: ``properties`` it takes (it then gives that binder's results): said in its notes
    stands_in_for: str = ""


@dataclass(frozen=True)
class CompositeRecipe:
    """A composite electrode as the papers report it.

    Weight fractions are as written in the paper (e.g. 70:27.5:1:1.5); they are
    normalised to their sum for volume fractions. ``binder_wt`` is also the binder
    content fed to the coverage laws.
    """

    phases: tuple[ActiveMaterial, ...]
    phase_mass_fractions: tuple[float, ...]
    am_wt: float
    se_wt: float
    carbon_wt: float
    binder_wt: float
    binder: str
    process: str
    se: SolidElectrolyte
    active_loading_mg_cm2: float
    void_fraction: float = 0.03
    initial_stoichiometry: tuple[float, ...] = field(default=(0.99,))
    bruggeman_exponent: float = SE_NETWORK_BRUGGEMAN_EXPONENT
    carbon_network_conductivity_S_m: float = 10.0
    binder_props: BinderProperties | None = None  # measured mechanics of the binder
    particle_size_log_std: float = 0.3  # lognormal sigma of the particle radii
    se_particle_radius_m: float = 1.5e-6  # radius of the SE grains in the composite (default: Choi's 3 um)

    def with_binder(self, binder_wt: float, process: str, binder: str | None = None,
                    binder_props: BinderProperties | None = None):
        """The same electrode with another binder content / process (and properties)."""
        from dataclasses import replace

        bc.check_binder(binder_wt, process)
        return replace(self, binder_wt=binder_wt, process=process, binder=binder or self.binder,
                       binder_props=binder_props or self.binder_props)

    def contact_radius(self, phase: int = 0) -> float:
        m = self.phases[phase]
        return m.contact_radius_m or m.particle_radius_m

    # --- geometry --------------------------------------------------------------------
    def _solid_volumes(self):
        """Volumes per 100 g of solids [m3], by component."""
        am_density = 1.0 / sum(
            x / m.density_kg_m3 for m, x in zip(self.phases, self.phase_mass_fractions)
        )
        return {
            "am": self.am_wt / am_density,
            "se": self.se_wt / self.se.density_kg_m3,
            "carbon": self.carbon_wt / CARBON_DENSITY,
            "binder": self.binder_wt / BINDER_DENSITY[self.binder],
        }

    @property
    def thickness(self) -> float:
        """Electrode thickness [m] from the active loading and the void fraction."""
        v = self._solid_volumes()
        solid_volume_per_area = self.active_loading_mg_cm2 * 1e-2 * sum(v.values()) / self.am_wt
        return solid_volume_per_area / (1.0 - self.void_fraction)

    def volume_fraction(self, component: str) -> float:
        v = self._solid_volumes()
        return (1.0 - self.void_fraction) * v[component] / sum(v.values())

    def phase_volume_fractions(self) -> list[float]:
        eps_am = self.volume_fraction("am")
        vols = [x / m.density_kg_m3 for m, x in zip(self.phases, self.phase_mass_fractions)]
        return [eps_am * vi / sum(vols) for vi in vols]

    @property
    def theoretical_capacity_mAh_g(self) -> float:
        return sum(m.specific_capacity_mAh_g * x for m, x in zip(self.phases, self.phase_mass_fractions))

    # --- transport -----------------------------------------------------------------
    def ionic_conductivity(self, se_conductivity: float) -> float:
        """Effective ionic conductivity of the composite [S.m-1] at a given SE sigma."""
        return bc.effective_conductivity(
            se_conductivity, self.volume_fraction("se"), self.bruggeman_exponent,
            self.binder_wt, self.process,
        )

    def electronic_conductivity(self) -> float:
        """Effective electronic conductivity of the composite [S.m-1]."""
        return bc.effective_conductivity(
            self.carbon_network_conductivity_S_m, 1.0, 0.0, self.binder_wt, self.process
        )

    def binder_parameters(self, domain: str) -> dict:
        """Binder-dependent entries only (what a binder sweep changes): the binder's
        content, process inputs and measured properties, from which the model evaluates
        coverage, blocking and binder mechanics (``models.binder_laws``).

        Two entries are derived here: the SE network's geometric tortuosity factor
        tau = eps^(1 - b) is a number (PyBaMM's ``tortuosity factor (electrolyte)``; the
        model multiplies eps / tau by the blocking factor f(w)), and the electrode
        conductivity is the law's PyBaMM expression sigma_carbon f(w)."""
        Domain = domain.capitalize()
        eps = self.volume_fraction("se")
        return {
            f"{Domain} electrode binder content [wt%]": self.binder_wt,
            f"{Domain} electrode tortuosity factor (electrolyte)": eps ** (1 - self.bruggeman_exponent),
            f"{Domain} electrode carbon network conductivity [S.m-1]": self.carbon_network_conductivity_S_m,
            f"{Domain} electrode conductivity [S.m-1]": binder_laws.electronic_conductivity(domain),
        } | binder_laws.process_parameters(domain, self.process) | binder_mechanics_parameters(
            domain, None if self.process == "none" else self.binder_props, self.binder_wt)

    # --- PyBaMM entries ------------------------------------------------------------
    def parameters(self, domain: str) -> dict:
        """PyBaMM entries for this electrode as the ``domain`` electrode."""
        Domain = domain.capitalize()
        eps = self.volume_fraction("se")
        p = {
            f"{Domain} electrode thickness [m]": self.thickness,
            f"{Domain} electrode porosity": eps,
            f"{Domain} electrode Bruggeman coefficient (electrolyte)": self.bruggeman_exponent,
            f"{Domain} electrode Bruggeman coefficient (electrode)": 0.0,
            # electronic: B_s = (1 - eps) / tau_s = 1, the conductivity is the composite's
            f"{Domain} electrode tortuosity factor (electrode)": 1.0 - eps,
            f"{Domain} electrode charge transfer coefficient": 0.5,
            f"{Domain} electrode double-layer capacity [F.m-2]": 0.2,
            f"{Domain} electrode contact fraction": 1.0,
            f"{Domain} electrode void fraction": self.void_fraction,
            f"{Domain} electrode solid electrolyte particle radius [m]": self.se_particle_radius_m,
            f"{Domain} electrode active material mass loading [kg.m-2]": self.active_loading_mg_cm2 * 1e-2,
        }
        p.update(self.binder_parameters(domain))
        multi = len(self.phases) > 1
        for i, (mat, eps_k, x0) in enumerate(
            zip(self.phases, self.phase_volume_fractions(), self.initial_stoichiometry)
        ):
            pre = ("Primary: ", "Secondary: ")[i] if multi else ""
            c_max = mat.max_concentration_mol_m3
            p.update({
                f"{pre}{Domain} electrode active material volume fraction": eps_k,
                f"{pre}{Domain} particle radius [m]": mat.particle_radius_m,
                f"{pre}{Domain} particle diffusivity [m2.s-1]": mat.diffusivity,
                f"{pre}{Domain} electrode OCP [V]": mat.ocp,
                f"{pre}Maximum concentration in {domain} electrode [mol.m-3]": c_max,
                f"{pre}Initial concentration in {domain} electrode [mol.m-3]": x0 * c_max,
                f"{pre}{Domain} electrode exchange-current density [A.m-2]": mat.exchange_current_density,
                f"{pre}{Domain} electrode density [kg.m-3]": mat.density_kg_m3,
                f"{pre}{Domain} electrode OCP entropic change [V.K-1]": 0.0,
                f"{pre}{Domain} electrode volumetric strain": mat.volumetric_strain,
                f"{pre}{Domain} particle contact radius [m]": self.contact_radius(i),
                # the volume fraction of the particles that swell by ``volumetric_strain``
                f"{pre}{Domain} electrode swelling particle volume fraction": eps_k / mat.host_volume_fraction,
                f"{pre}{Domain} particle size log-standard deviation": self.particle_size_log_std,
            })
            if mat.ocp_branches is not None:
                p.update(dict(zip((f"{pre}{Domain} electrode lithiation OCP [V]",
                                   f"{pre}{Domain} electrode delithiation OCP [V]"), mat.ocp_branches)))
        return p


def solid_electrolyte_parameters(se: SolidElectrolyte, separator_thickness_m: float,
                                 separator_binder_wt: float = 0.0, separator_process: str = "none") -> dict:
    """The SE separator layer and the SE as a single-ion conductor. A pressed pellet has
    no binder (the default); a sheet-type film cast with ``separator_binder_wt`` [wt%]
    of binder by ``separator_process`` conducts as the binder's neck blocking leaves it
    (``binder_laws.separator_tortuosity``)."""
    bc.check_binder(separator_binder_wt, separator_process)
    return {
        "Separator thickness [m]": separator_thickness_m,
        "Separator porosity": 1.0,  # a dense SE layer
        "Separator binder content [wt%]": separator_binder_wt,
        "Separator binder saturated neck conductance fraction": binder_laws.process_input(
            separator_process, "binder saturated neck conductance fraction"),
        # a number for a pellet (no binder), else the blocking law's PyBaMM expression
        "Separator tortuosity factor (electrolyte)": binder_laws.separator_tortuosity() if separator_binder_wt > 0
        else 1.0,
        "Separator Bruggeman coefficient (electrolyte)": 1.0,
        "Initial concentration in electrolyte [mol.m-3]": 1000.0,
        "Cation transference number": 1.0,
        "Thermodynamic factor": 1.0,
        # With t+ = 1 no salt gradient forms: the models hold c_e uniform and constant
        # (models.composite_cell), so the diffusivity is not used by ssbsim's models.
        "Electrolyte diffusivity [m2.s-1]": 1e-12,
        "Electrolyte conductivity [S.m-1]": lambda c_e, T: se.conductivity(T),
    }


#: Exchange current of the Li (or Li-In) | argyrodite counter electrode at
#: :data:`COUNTER_REFERENCE_TEMPERATURE_K` [A.m-2]: R_ct = R T / (F j0) = 26 Ohm cm2 at
#: 25 C, the order of the Li | argyrodite interfacial resistances that grow as the
#: interphase forms (Wenzel et al., Solid State Ionics 318 (2018) 102).
COUNTER_EXCHANGE_CURRENT_A_M2 = 10.0
#: Temperature at which :data:`COUNTER_EXCHANGE_CURRENT_A_M2` is taken [K] (room temperature).
COUNTER_REFERENCE_TEMPERATURE_K = 298.15


def _counter_exchange_current(c_e, c_Li, T):
    """j0 = j0_ref (c_e / 1000)^0.5 exp(E_a / R (1 / T_ref - 1 / T)) [A.m-2] of the Li
    or Li-In counter electrode; its constants are PyBaMM parameters (``"Counter
    electrode ..."``), so fits and sweeps reach them."""
    j0_ref = pybamm.Parameter("Counter electrode exchange-current density at reference temperature [A.m-2]")
    E_a = pybamm.Parameter("Counter electrode exchange-current activation energy [J.mol-1]")
    T_ref = pybamm.Parameter("Counter electrode reference temperature [K]")
    return j0_ref * (c_e / 1000.0) ** 0.5 * pybamm.exp(E_a / pybamm.constants.R * (1 / T_ref - 1 / T))


def li_counter_electrode_parameters(se: SolidElectrolyte) -> dict:
    """A Li metal (or Li-In) counter electrode in PyBaMM's half-cell model.

    Its exchange current follows an Arrhenius law (:func:`_counter_exchange_current`)
    with the activation energy of the SE's Li+ conduction: Li crosses the interphase
    the SE forms on Li (Li2S, Li3P, LiCl; Wenzel 2018) by ion conduction, the same
    assumption the SE's reduction on anodes makes (``parameter_sets.interphase``).
    """
    return {
        "Negative electrode OCP [V]": 0.0,
        "Negative electrode conductivity [S.m-1]": 1.08e7,
        "Negative electrode OCP entropic change [V.K-1]": 0.0,
        "Negative electrode thickness [m]": 5e-5,
        "Lithium metal partial molar volume [m3.mol-1]": 1.3e-5,
        "Exchange-current density for lithium metal electrode [A.m-2]": _counter_exchange_current,
        "Counter electrode exchange-current density at reference temperature [A.m-2]": COUNTER_EXCHANGE_CURRENT_A_M2,
        "Counter electrode exchange-current activation energy [J.mol-1]": se.activation_energy_J_mol,
        "Counter electrode reference temperature [K]": COUNTER_REFERENCE_TEMPERATURE_K,
        "Negative electrode charge transfer coefficient": 0.5,
        "Negative electrode double-layer capacity [F.m-2]": 0.2,
    }


def cell_parameters(
    area_cm2: float, nominal_capacity_Ah: float, v_min: float, v_max: float, T_C: float,
    ocv_min: float | None = None, ocv_max: float | None = None,
) -> dict:
    """Geometry, window and temperature of a (square) cell of ``area_cm2``."""
    side = (area_cm2 * 1e-4) ** 0.5
    T = 273.15 + T_C
    return {
        "chemistry": "lithium_ion",
        "Electrode height [m]": side,
        "Electrode width [m]": side,
        "Nominal cell capacity [A.h]": nominal_capacity_Ah,
        "Current function [A]": nominal_capacity_Ah,
        "Contact resistance [Ohm]": 0.0,
        "Number of electrodes connected in parallel to make a cell": 1.0,
        "Number of cells connected in series to make a battery": 1.0,
        "Lower voltage cut-off [V]": v_min,
        "Upper voltage cut-off [V]": v_max,
        "Open-circuit voltage at 0% SOC [V]": ocv_min if ocv_min is not None else v_min,
        "Open-circuit voltage at 100% SOC [V]": ocv_max if ocv_max is not None else v_max,
        "Ambient temperature [K]": T,
        "Initial temperature [K]": T,
        "Reference temperature [K]": 298.15,
        "Total heat transfer coefficient [W.m-2.K-1]": 10.0,
        "Counter electrode potential vs Li/Li+ [V]": 0.0,
    }


def nominal_capacity_Ah(recipe: CompositeRecipe, specific_capacity_mAh_g: float, area_cm2: float) -> float:
    """Nominal (1C) capacity [A.h] of the working electrode from the paper's 1C definition."""
    return specific_capacity_mAh_g * 1e-3 * recipe.active_loading_mg_cm2 * 1e-3 * area_cm2


def half_cell(
    recipe: CompositeRecipe, se: SolidElectrolyte, separator_thickness_m: float,
    area_cm2: float, one_c_mAh_g: float, v_min: float, v_max: float, T_C: float,
    counter_potential_vs_li: float, stack_pressure_MPa: float,
) -> dict:
    """All entries for a composite working electrode | SE layer | Li or Li-In half cell.

    Voltages and cut-offs are vs Li/Li+; ``counter_potential_vs_li`` (0.62 V for Li-In,
    0 for Li) gives the voltage vs the real counter electrode.
    """
    p = cell_parameters(area_cm2, nominal_capacity_Ah(recipe, one_c_mAh_g, area_cm2), v_min, v_max, T_C)
    p["Counter electrode potential vs Li/Li+ [V]"] = counter_potential_vs_li
    p.update(contact_parameters(stack_pressure_MPa))
    p.update(solid_electrolyte_parameters(se, separator_thickness_m))
    p.update(li_counter_electrode_parameters(se))
    p.update(recipe.parameters("positive"))
    return p


def full_cell(
    cathode: CompositeRecipe, anode: CompositeRecipe, se: SolidElectrolyte,
    separator_thickness_m: float, area_cm2: float, one_c_mAh_g: float,
    v_min: float, v_max: float, T_C: float, stack_pressure_MPa: float,
    pristine_v_min: float | None = None, separator_binder_wt: float = 0.0, separator_process: str = "none",
) -> dict:
    """All entries for a composite cathode | SE layer | composite anode full cell
    (the SE layer cast with ``separator_binder_wt`` of binder by ``separator_process``,
    or a pellet: :func:`solid_electrolyte_parameters`).

    A pristine full cell (lithiated cathode, empty anode) can rest below the cycling
    window (NCM | empty graphite ~ 2.0 V); ``pristine_v_min`` then lowers PyBaMM's
    safety cut-off so the first charge can start. The protocol keeps its own window.
    """
    p = cell_parameters(area_cm2, nominal_capacity_Ah(cathode, one_c_mAh_g, area_cm2),
                        v_min if pristine_v_min is None else pristine_v_min, v_max, T_C,
                        ocv_min=v_min)
    p.update(contact_parameters(stack_pressure_MPa))
    p.update(solid_electrolyte_parameters(se, separator_thickness_m, separator_binder_wt, separator_process))
    p.update(cathode.parameters("positive"))
    p.update(anode.parameters("negative"))
    return p


__all__ = [
    "CompositeRecipe", "half_cell", "full_cell", "solid_electrolyte_parameters",
    "li_counter_electrode_parameters", "cell_parameters", "LI_IN_POTENTIAL_VS_LI",
    "SE_NETWORK_BRUGGEMAN_EXPONENT", "ANODE_SE_NETWORK_BRUGGEMAN_EXPONENT",
]
