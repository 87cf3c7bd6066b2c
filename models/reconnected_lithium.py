r"""Lithium that reconnecting particles bring back: a source in PyBaMM's particle equation.

Particles that the contact law isolates (``models.contact_mechanics``) leave the
connected population with the lithium they hold; PyBaMM's loss-of-active-material
accounting strands it (``"Loss of lithium due to loss of ... active material ...
[mol]"``) and the connected particles' concentration c_s(r) is left as it was.
Gap-isolated particles reconnect as the SE creeps back into their gap
(``contact_isolation.creep_reconnection_rate``). A reconnecting particle returns the
lithium stranded in it, not the connected particles' concentration: mixing a reconnected
volume eps_0 R_rec dt at the stranded concentration c_str into the connected volume
eps_AM changes the connected particles' mean profile by

.. math:: \frac{\partial c_s}{\partial t} \mathrel{+}= (c_{str} - c_s)\, k_v,
   \qquad k_v = \frac{\varepsilon_0 R_{rec}}{\varepsilon_{AM}}

(uniform in r: the returned particle is averaged into the population, the mixing of
two populations at one radius). Isolated particles are one pool of volume fraction
Z = 1 - eps_AM / eps_0 whose mean stoichiometry x_str = c_str / c_max is a state of the
contact-loss submodel: particles isolated at the rate G bring the connected particles'
mean stoichiometry x_c, reconnecting ones leave at the pool's mean, so

.. math:: \frac{dx_{str}}{dt} = \frac{G}{Z} (x_c - x_{str})

and the stranded lithium changes by L A eps_0 c_max (x_c G - x_str R_rec). x_c, the
connected particles' mean stoichiometry, is a state of the same submodel whose rate is
the mean of the particle equation's (the reacting flux plus this source), so it is the
x- and r-averaged concentration over c_max that PyBaMM's LAM accounting integrates, to
the spatial discretisation's accuracy, without a row that reads every particle state.
Connected plus stranded lithium is conserved to the solver's tolerance. A particle returns the pool's mean
concentration, not the one it was cut off with (the per-particle history is not carried).

:class:`ReconnectingFickianDiffusion` adds the term to PyBaMM's Fickian particle; it
reads the two domain-less variables the contact-loss submodel defines
(:data:`RECONNECTED_VOLUME_RATE`, :data:`STRANDED_CONCENTRATION`) and adds nothing where
they are absent.
"""

import pybamm

#: Reconnected volume per connected volume and time, k_v [s-1], of a phase: the name
#: after ``"<Domain> electrode <phase >"``.
RECONNECTED_VOLUME_RATE = "reconnected volume per connected volume [s-1]"
#: Mean lithium concentration c_str = c_max x_str of the phase's isolated particles [mol.m-3].
STRANDED_CONCENTRATION = "stranded lithium concentration [mol.m-3]"


def reconnection_source(variables, domain: str, phase_name: str, c):
    """(c_str - c) k_v [mol.m-3.s-1] of the phase (module docstring), or None if its
    electrode has no contact-loss submodel."""
    prefix = f"{domain.capitalize()} electrode {phase_name}"
    if f"{prefix}{RECONNECTED_VOLUME_RATE}" not in variables:
        return None
    return (variables[f"{prefix}{STRANDED_CONCENTRATION}"] - c) * variables[f"{prefix}{RECONNECTED_VOLUME_RATE}"]


class ReconnectingFickianDiffusion(pybamm.particle.FickianDiffusion):
    """PyBaMM's Fickian particle with the reconnected particles' lithium (module
    docstring); the arguments are those of ``pybamm.particle.FickianDiffusion``."""

    def set_rhs(self, variables):
        super().set_rhs(variables)
        (c_s, rhs), = self.rhs.items()
        source = reconnection_source(variables, self.domain, self.phase_name, c_s)
        if source is not None:
            self.rhs[c_s] = rhs + source


def use_reconnecting_particles(model, domains) -> None:
    """Replace the Fickian particle submodels of ``domains`` of the unbuilt ``model`` by
    :class:`ReconnectingFickianDiffusion` (subclasses of it, e.g.
    ``covered_entry.CoveredEntryDiffusion``, are kept), in place; any other particle
    model cannot take the reconnected lithium and is refused."""
    for domain in domains:
        for phase in model.options.phases[domain]:
            key = f"{domain} {phase} particle"
            old = model.submodels[key]
            if isinstance(old, ReconnectingFickianDiffusion):
                continue
            if type(old) is not pybamm.particle.FickianDiffusion:
                raise ValueError(f"contact mechanics needs Fickian particles (reconnecting particles return their "
                                 f"lithium through the particle equation); the {key} submodel is {type(old).__name__}")
            model.submodels[key] = ReconnectingFickianDiffusion(model.param, domain, model.options, phase,
                                                                old.x_average)
