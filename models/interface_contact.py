"""Interface utilisation of a composite electrode: binder coverage times contact.

A PyBaMM ``interface_utilisation`` submodel. The fraction of the geometric active
surface that carries charge transfer is

.. math:: u = (1 - \\theta_{binder})\\, \\phi_{contact}

* theta_binder [-]: the binder-covered fraction of the active surface
  (``models.binder_coverage``; Jo et al., J. Electrochem. Soc. 2024).
* phi_contact [-]: the fraction of the uncovered surface touching the solid
  electrolyte. It is a parameter (1 = perfect contact) here; the contact-mechanics
  submodels supply it as a state.

Both enter as parameters ``"<Domain> electrode binder coverage"`` and
``"<Domain> electrode contact fraction"``, so they can be ``"[input]"`` and swept without
rebuilding. PyBaMM's kinetics multiply the interfacial current density by u, i.e. the
specific interfacial area is a = a_geom u.
"""

import pybamm


class BinderCoveredContact(pybamm.interface_utilisation.BaseModel):
    """u = (1 - theta_binder) * phi_contact for the composite ``domain`` electrode.

    Parameters
    ----------
    param : pybamm.LithiumIonParameters
    domain : {"negative", "positive"}
    options : dict
    """

    def get_fundamental_variables(self):
        domain, Domain = self.domain_Domain
        theta = pybamm.Parameter(f"{Domain} electrode binder coverage")
        phi = pybamm.Parameter(f"{Domain} electrode contact fraction")
        u_av = (1 - theta) * phi
        u = pybamm.FullBroadcast(u_av, f"{domain} electrode", "current collector")
        variables = self._get_standard_interface_utilisation_variables(u)
        variables.update(
            {
                f"{Domain} electrode binder coverage": theta,
                f"{Domain} electrode contact fraction": phi,
            }
        )
        return variables
