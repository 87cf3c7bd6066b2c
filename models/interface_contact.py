"""Interface utilisation of a composite electrode: binder coverage times contact.

A PyBaMM ``interface_utilisation`` submodel. The fraction of the geometric active
surface that carries charge transfer is

.. math:: u = (1 - \\theta_{binder})\\, \\phi_{contact}

* theta_binder [-]: the binder-covered fraction of the active surface, the coverage law
  of ``models.binder_coverage`` (Jo et al., J. Electrochem. Soc. 2024) on the
  electrode's binder parameters (``models.binder_laws.coverage``), reported as the
  variable ``"<Domain> electrode binder coverage"``.
* phi_contact [-]: the fraction of the uncovered surface of connected particles that
  touches the solid electrolyte. Without contact mechanics it is the parameter
  ``"<Domain> electrode contact fraction"`` (1 = perfect contact); with them it is the
  surface-area-weighted mean over particle phases of the states of
  :class:`~ssbsim.models.contact_mechanics.ContactLossActiveMaterial`.

PyBaMM's kinetics multiply the interfacial current density by u, i.e. the specific
interfacial area is a = a_geom u.
"""

import pybamm

from ssbsim.citations import cite

from .binder_laws import coverage
from .phases import phase_names


class BinderCoveredContact(pybamm.interface_utilisation.BaseModel):
    """u = (1 - theta_binder) * phi_contact for the composite ``domain`` electrode.

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    domain : {"negative", "positive"}
    options : dict
    mechanics : bool
        Take phi_contact from the contact-mechanics states instead of a parameter.
    """

    def __init__(self, param, domain, options, mechanics=False):
        super().__init__(param, domain, options)
        self.mechanics = mechanics
        cite("binder coverage")

    def _contact_fraction(self, variables):
        domain, Domain = self.domain_Domain
        if not self.mechanics:
            return pybamm.Parameter(f"{Domain} electrode contact fraction")
        phases = phase_names(self.options, domain)
        # surface area per electrode volume of each phase's connected particles, 3 eps / R
        areas = [variables[f"X-averaged {domain} electrode {n}active material volume fraction"]
                 / pybamm.Parameter(f"{pre}{Domain} particle radius [m]") for pre, n in phases]
        phis = [variables[f"{Domain} electrode {n}contact fraction"] for _, n in phases]
        return sum(a * phi for a, phi in zip(areas, phis)) / sum(areas)

    def get_coupled_variables(self, variables):
        domain, Domain = self.domain_Domain
        theta = coverage(domain)
        phi = self._contact_fraction(variables)
        u_av = (1 - theta) * phi
        if self.mechanics:
            u = pybamm.PrimaryBroadcast(u_av, f"{domain} electrode")
        else:
            u = pybamm.FullBroadcast(u_av, f"{domain} electrode", "current collector")
        variables.update(self._get_standard_interface_utilisation_variables(u))
        variables.update({
            f"{Domain} electrode binder coverage": theta,
            f"{Domain} electrode contact fraction": phi,
        })
        return variables
