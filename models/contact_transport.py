"""Ionic transport of a composite cell: binder blocking, contact loss, contact resistance.

PyBaMM ``"tortuosity factor"`` transport-efficiency submodels (B = eps / tau):

:class:`BinderBlockedTortuosity` (every composite cell): the binder blocks SE necks, so
the composite's transport efficiency is B = (eps / tau) f(w), with the geometric
tortuosity factor tau of the SE network and the neck-blocking law f(w)
(``models.binder_coverage``) evaluated on the electrode's binder parameters
(``models.binder_laws.neck_blocking``).

:class:`ContactTortuosity` (with contact mechanics) adds three contact effects:

* **Voids in the composite.** Gaps and voids open around the active particles and add
  volume: the electrode thickens by them (``"... thickness strain"`` counts the void
  fraction increase Delta eps_void, per pristine volume). The SE is conserved, so its
  volume fraction is diluted to eps / (1 + Delta eps_void), and its network's path is
  that much longer: with the Bruggeman-type exponent b of the SE network
  (``"<Domain> electrode Bruggeman coefficient (electrolyte)"``) the layer's ionic
  resistance grows as (1 + Delta eps_void)^(1 + b) (b for the dilution, 1 for the
  length), so on PyBaMM's fixed geometry the composite's transport efficiency becomes
  B = (eps / tau) f(w) (1 + Delta eps_void)^-(1 + b) psi_SE. The particles' own volume
  change, which the thickness strain also counts, is not applied to the SE network.
* **SE necks.** The SE grains (radius R_SE) around a breathing particle are loaded by the
  same force chains: the fraction of SE | SE necks that stay closed is the contact law
  (``contact_law.contact_fraction``) at the grains' radius, the particles' mean gap and
  the effective pressure, psi_SE = delta_SE / (delta_SE + g_mean),
  delta_SE = R_SE (P_eff / E_f)^m + g_s; the neck conductance scales with it, so the
  network conducts worse where contact is lost and the pressure effect grows with current.
* **Electrode | SE-layer interface.** Its contact fraction psi is the particles' law
  (``contact_law.contact_fraction``, the same function), with the mean gap at the
  interface and the binder's adhesion traction P_adh (``models.binder_laws``) instead
  of the bulk binder traction:
  psi = delta / (delta + g_mean), delta = R_c ((P_stack + P_adh) / E_f)^m + g_s (P_stack the
  model variable ``"Stack pressure [Pa]"``, ``models.fixture``). The interface
  resistance R_int / psi (R_int at full contact; R_int ~ 1 / A_c, Limon, Duffee, Ahmad
  2025) is lumped into the SE separator layer: L / (sigma B_sep) = L / (sigma B_0) +
  sum R_int / psi, so B_sep = 1 / (1 / B_0 + sigma sum(R_int / psi) / L). The contact
  spots are SE | SE constrictions, whose resistance is 1 / (2 sigma_SE a) per spot of
  radius a (Holm, Electric Contacts, 1967): R_int(T) = R_int(T_int) sigma_SE(T_int) /
  sigma_SE(T), with R_int given at T_int (``"Electrode|SE interface resistance reference
  temperature [K]"``), so sigma R_int, and B_sep, do not depend on T.
"""

import types

import pybamm

from ssbsim.citations import cite

from .binder_laws import adhesion_traction, neck_blocking
from .contact_law import GENERIC
from .phases import phase_names


def _interface_law(gap, radius, pressure, modulus, exponent, regularisation):
    p = types.SimpleNamespace(framework_modulus_Pa=modulus, closure_exponent=exponent,
                              gap_regularisation_m=regularisation)
    return GENERIC.contact_fraction(gap, radius, pressure, p)


def contact_fraction_node(gap, radius, pressure, what: str):
    """The law's contact fraction as one ``pybamm.Function`` node (gap [m], radius [m],
    pressure [Pa]; the law's constants as PyBaMM parameters)."""
    P = pybamm.Parameter
    return pybamm.Function(_interface_law, gap, radius, pressure, P("Composite framework modulus [Pa]"),
                           P("Contact closure pressure exponent"), P("Contact gap regularisation [m]"),
                           name=f"function ({what} contact fraction)")


def interface_contact(domain: str, variables, options):
    """psi [-] of the ``domain`` electrode | SE-layer interface."""
    Domain = domain.capitalize()
    pre, infix = phase_names(options, domain)[0]  # the interface sees the primary phase
    P = pybamm.Parameter
    return contact_fraction_node(
        variables[f"{Domain} electrode {infix}mean gap [m]"], P(f"{pre}{Domain} particle contact radius [m]"),
        variables["Stack pressure [Pa]"] + adhesion_traction(domain), "interface")


class BinderBlockedTortuosity(pybamm.transport_efficiency.TortuosityFactor):
    """Tortuosity-factor transport with the binder's neck blocking in the composites:
    B = (eps / tau) f(w) there, eps / tau elsewhere.

    Parameters
    ----------
    param, options : as PyBaMM's ``TortuosityFactor`` (component "Electrolyte")
    composite_domains : tuple of str
        The composite electrodes ("positive", "negative").
    """

    def __init__(self, param, options, composite_domains):
        super().__init__(param, "Electrolyte", options)
        self.composite_domains = composite_domains
        cite("conduction blocking")

    def composite_efficiency(self, domain, variables):
        """B of the composite ``domain`` electrode: (eps / tau) f(w), evaluated as
        eps / (tau / f), the blocked tortuosity factor."""
        eps = variables[f"{domain.capitalize()} electrode porosity"]
        return eps / (self.param.domain_params[domain].tau_e / neck_blocking(domain))

    def separator_efficiency(self, variables):
        return variables["Separator porosity"] / self.param.s.tau_e

    def get_coupled_variables(self, variables):
        tor = {d: self.composite_efficiency(d, variables) for d in self.composite_domains}
        tor["separator"] = self.separator_efficiency(variables)
        for domain in self.options.whole_cell_domains:
            key = domain.split()[0]
            if key not in tor:  # a plain porous electrode (the LTO of a pouch cell)
                tor[key] = variables[f"{key.capitalize()} electrode porosity"] / self.param.domain_params[key].tau_e
        variables.update(self._get_standard_transport_efficiency_variables(
            {d: tor[d.split()[0]] for d in self.options.whole_cell_domains}))
        return variables


class ContactTortuosity(BinderBlockedTortuosity):
    """:class:`BinderBlockedTortuosity` with void loss, SE-neck contact and interface
    contact resistance (module docstring)."""

    def __init__(self, param, options, composite_domains):
        super().__init__(param, options, composite_domains)
        cite("contact law")
        cite("interface resistance")

    def composite_efficiency(self, domain, variables):
        Domain = domain.capitalize()
        void = sum(variables[f"{Domain} electrode {n}void fraction increase"]
                   for _, n in phase_names(self.options, domain))
        infix = phase_names(self.options, domain)[0][1]
        necks = contact_fraction_node(
            variables[f"{Domain} electrode {infix}mean gap [m]"],
            pybamm.Parameter(f"{Domain} electrode solid electrolyte particle radius [m]"),
            variables[f"{Domain} electrode effective pressure [Pa]"], "SE neck")
        variables[f"{Domain} electrode solid electrolyte neck contact fraction"] = necks
        b_e = self.param.domain_params[domain].b_e
        return super().composite_efficiency(domain, variables) * (1 + void) ** (-(1 + b_e)) * necks

    def separator_efficiency(self, variables):
        r_int = 0
        for domain in self.composite_domains:
            psi = interface_contact(domain, variables, self.options)
            variables[f"{domain.capitalize()} electrode|SE layer interface contact fraction"] = psi
            r_int = r_int + pybamm.Parameter("Electrode|SE interface resistance [Ohm.m2]") / psi
        c_e = variables["Separator electrolyte concentration [mol.m-3]"]
        # R_int ~ 1 / sigma_SE(T) (Holm's constriction, module docstring): sigma(T) R_int(T)
        # is its value at the temperature R_int is given at
        T_int = pybamm.Parameter("Electrode|SE interface resistance reference temperature [K]")
        b0 = super().separator_efficiency(variables)
        return 1 / (1 / b0 + self.param.kappa_e(c_e, T_int) * r_int / self.param.s.L)
