"""Li entry through the uncovered surface of a particle: the binder coverage in solid diffusion.

A binder-covered patch of an active particle carries no charge transfer
(:class:`~ssbsim.models.interface_contact.BinderCoveredContact` scales the exchange
current by the open fraction) and lets no Li into the particle. PyBaMM's Fickian
particle takes its flux over the whole sphere, so without this submodel the covered
area is invisible to solid diffusion: a GITT reads the full area at any coverage.

Weppner and Huggins (J. Electrochem. Soc. 124 (1977) 1569, doi:10.1149/1.2133112): while
the diffusion length sqrt(D t) is short against the particle, a constant current I
entering through an area S raises the surface concentration as

.. math:: \\frac{dE}{d\\sqrt{t}} = \\frac{2 I V_m}{\\sqrt{\\pi} z F S \\sqrt{D}} \\frac{dE}{dx}

so only the product S sqrt(D) is seen. Li entering through the fraction u = 1 - theta
of the surface (patches large against sqrt(D t), so the field under each is planar)
gives the transient of area u S, i.e. that of the whole sphere with the diffusivity

.. math:: D_{eff} = D\\, u^2

(``binder_coverage.entry_diffusivity``; no constant of its own). The equilibrium
change Delta E_s of a pulse is set by the charge and the particle volume and does not
change, so a GITT analysed at the geometric area returns D_app = u^2 D and the relative
area u(w) / u(w_ref) (``simulator.characterise``) is the coverage law's.

Limits: D u^2 is exact for the short-time transient only. Once sqrt(D t) reaches the
patch spacing the field spreads beneath the covered patches, and the relaxation inside
the particle goes with the true D (time constant R^2 / D, not R^2 / (D u^2)); this form
overstates that relaxation time by 1/u^2 and with it the concentration polarisation at
low rates and long rests, so its capacity loss is an upper bound. Patches fine against
sqrt(D t) would not be seen by a GITT at all; the drop of Jo 2024's GITT areas with
binder content says theirs are not. The contact fraction phi (uncovered surface touching
the SE, which the contact law already acts on through the charge-transfer area and the
isolation of particles) is not included.

ssbsim's option ``"coverage entry"`` (:data:`~ssbsim.models.options.OPTIONS`):
``"effective diffusivity"`` replaces each Fickian particle of a composite electrode by
:class:`CoveredEntryDiffusion`; ``"none"`` keeps PyBaMM's. The particle's reported
diffusivity (``"<Domain> particle effective diffusivity [m2.s-1]"``) is then D u^2.
"""

import pybamm

from ssbsim.citations import cite

from .binder_laws import entry_diffusivity
from .reconnected_lithium import ReconnectingFickianDiffusion


class CoveredEntryDiffusion(ReconnectingFickianDiffusion):
    """PyBaMM's Fickian particle with D (1 - theta)^2 (module docstring) and, with contact
    mechanics, the reconnected particles' lithium (``reconnected_lithium``); the arguments
    are those of ``pybamm.particle.FickianDiffusion``."""

    def __init__(self, param, domain, options, phase="primary", x_average=False):
        super().__init__(param, domain, options, phase, x_average)
        cite("coverage entry")

    def _get_effective_diffusivity(self, c, T, current):
        return entry_diffusivity(self.domain, super()._get_effective_diffusivity(c, T, current))


def use_covered_entry(model, domains) -> None:
    """Replace the Fickian particle submodels of ``domains`` of the unbuilt ``model`` by
    :class:`CoveredEntryDiffusion`, in place."""
    for domain in domains:
        for phase in model.options.phases[domain]:
            key = f"{domain} {phase} particle"
            old = model.submodels[key]
            if type(old) is not pybamm.particle.FickianDiffusion:
                raise ValueError(f"'coverage entry' needs Fickian particles; the {key} submodel is "
                                 f"{type(old).__name__}")
            model.submodels[key] = CoveredEntryDiffusion(model.param, domain, model.options, phase, old.x_average)
