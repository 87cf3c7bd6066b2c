"""The SE's reduction on an anode, limited by the SE there is to reduce.

PyBaMM's ``"interstitial-diffusion limited"`` SEI growth carries the SE's reduction on a
composite anode (``parameter_sets.interphase``). Its reactant never runs out, as a
liquid electrolyte's solvent that the separator keeps supplying. A composite's SE is a
finite inventory: each formula unit reduced (z Li) is gone, and nothing replaces it.
With c_sei,k the moles of products per electrode volume on phase k (PyBaMM's ``"... SEI
concentration [mol.m-3]"``, c_sei,k,0 at assembly) and eps_SE the SE's volume fraction
(the electrode "porosity"), the fraction of the SE not yet reduced is

    f_SE = 1 - sum_k (c_sei,k - c_sei,k,0) / (c_SE eps_SE)

and the reduction current is f_SE times PyBaMM's, j_red = f_SE j_PyBaMM: where the SE is
used up, the reduction stops (f_SE -> 0 as the rate does, without crossing 0). The
phases of a Si-graphite anode draw on the same SE. No new constant: c_SE = rho_SE /
M_SE is the SE's own (carried as PyBaMM's ``"EC initial concentration in electrolyte
[mol.m-3]"``, which the interstitial law does not read).

The SE the reduction takes is not removed from the ionic network here (the electrode's
porosity stays PyBaMM's); the products' excess volume thickens the electrode
(``models.operando.interphase_thickness_change``).
"""

import pybamm

from ssbsim.citations import cite

from .phases import phase_names


def _infixes(options, domain: str) -> dict:
    """Phase -> variable infix of ``domain`` (``phases.phase_names``)."""
    return {phase: infix for phase, (_, infix) in zip(options.phases[domain], phase_names(options, domain))}


class SEInventoryReduction(pybamm.sei.SEIGrowth):
    """:class:`pybamm.sei.SEIGrowth` (``composite_cell.INTERPHASE_SEI_OPTION``) times the fraction f_SE of
    the electrode's SE not yet reduced (module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cite("SE reduction")

    def _remaining_fraction(self, variables):
        domain, Domain = self.domain_Domain
        x_average = self.reaction_loc == "x-average"
        reduced = 0
        for phase, infix in _infixes(self.options, domain).items():
            pp = self.domain_param.phase_params[phase]
            name = (f"X-averaged {domain} {infix}SEI concentration [mol.m-3]" if x_average
                    else f"{Domain} {infix}SEI concentration [mol.m-3]")
            reduced = reduced + variables[name] - pp.L_sei_0 * pp.a_typ / pp.V_bar_sei
        eps = variables[f"X-averaged {domain} electrode porosity" if x_average else f"{Domain} electrode porosity"]
        return 1 - reduced / (self.phase_param.c_ec_0 * eps)

    def get_coupled_variables(self, variables):
        # PyBaMM computes its j inside; the factor is applied where it turns j into the
        # reaction variables (the one place every other variable is derived from)
        self._f_SE = self._remaining_fraction(variables)
        variables = super().get_coupled_variables(variables)
        domain, Domain = self.domain_Domain
        infix = _infixes(self.options, domain)[self.phase]
        variables[f"{Domain} electrode {infix}unreduced solid electrolyte fraction"] = self._f_SE
        return variables

    def _get_standard_reaction_variables(self, j_sei):
        return super()._get_standard_reaction_variables(self._f_SE * j_sei)


def use_inventory_limited_reduction(model, domains) -> None:
    """Replace PyBaMM's SEI growth on every particle phase of ``domains`` of an unbuilt
    ``model`` by :class:`SEInventoryReduction`."""
    for domain in domains:
        for phase in model.options.phases[domain]:
            model.submodels[f"{domain} {phase} sei"] = SEInventoryReduction(model.param, domain, model.options, phase)
