"""The binder laws on PyBaMM parameters: what the composite model evaluates.

The pure laws of :mod:`~ssbsim.models.binder_coverage` (coverage theta, neck blocking f)
and :mod:`~ssbsim.models.binder_mechanics` (holding traction, void-nucleation factor chi,
fracture energy, adhesion traction) applied to PyBaMM parameters, once: the submodels
build their expressions here (``BinderCoveredContact``, the transport submodels,
``ContactLossActiveMaterial``), and :func:`electrode_values` evaluates the same
expressions to numbers for anything that reports them (``electrode_properties``).

Parameters of the ``<Domain>`` electrode (set by ``parameter_sets.components``):

* ``<Domain> electrode binder content [wt%]``;
* the process-dependent inputs (:func:`process_parameters`): ``... binder coverage
  maximum`` and ``... binder saturated neck conductance fraction``, each a reference to
  the law constant of the electrode's process (e.g. ``"Wet binder coverage maximum"``)
  or a number, so a fit or a parameter file that sets the law constant reaches every
  electrode made by that process;
* ``... carbon network conductivity [S.m-1]`` (binder-free electronic conductivity);
* the binder's measured properties: ``... binder measured content [wt%]``, ``...
  measured compressive strength [Pa]``, ``... measured cohesion [J.m-2]``, ``...
  measured toughness [J.m-3]`` (0 where the cohesion was measured), ``... binder peel
  adhesion [N.m-1]``.

and the constants of the laws, shared by all electrodes: those of
``binder_coverage.LAW_CONSTANTS``, ``"Binder holding fraction of strength"``, ``"Binder
void nucleation fracture energy scale [J.m-2]"``, ``"Binder adhesion process zone length
[m]"`` and ``"Solid electrolyte fracture energy [J.m-2]"``.
"""

from __future__ import annotations

import pybamm

from . import binder_coverage as bc
from . import binder_mechanics as bm

P = pybamm.Parameter


def _layer(layer: str) -> str:
    """PyBaMM's name prefix of a layer: ``"Positive electrode"``, ..., ``"Separator"``."""
    return "Separator" if layer == "separator" else f"{layer.capitalize()} electrode"


def _electrode(domain: str, name: str) -> pybamm.Parameter:
    return P(f"{_layer(domain)} {name}")


def _content(domain: str):
    return _electrode(domain, "binder content [wt%]")


def process_input(process: str, name: str):
    """One process-dependent input of ``process`` (``binder_coverage.PROCESS_INPUTS``): a
    PyBaMM parameter named after the law constant, or a number."""
    v = bc.PROCESS_INPUTS[process][name]
    return P(v) if isinstance(v, str) else v


def process_parameters(domain: str, process: str) -> dict:
    """The ``domain`` electrode's process-dependent inputs for ``process``
    (:func:`process_input`)."""
    return {f"{_layer(domain)} {name}": process_input(process, name) for name in bc.PROCESS_INPUTS[process]}


def coverage(domain: str):
    """theta [-] of the ``domain`` electrode's active surface (``binder_coverage.coverage``)."""
    return bc.coverage(_content(domain), _electrode(domain, "binder coverage maximum"),
                       P("Wet binder coverage content scale [wt%]"), P("Wet binder coverage Avrami exponent"),
                       exp=pybamm.exp)


def neck_blocking(layer: str):
    """f [-] of the SE and carbon networks of the ``layer``: a composite electrode
    (``"positive"``, ``"negative"``) or a binder-cast SE separator film (``"separator"``)
    (``binder_coverage.neck_blocking``)."""
    return bc.neck_blocking(_content(layer), _electrode(layer, "binder saturated neck conductance fraction"),
                            P("Binder neck blocking content scale [wt%]"), exp=pybamm.exp)


def separator_tortuosity():
    """1 / f [-]: the tortuosity factor of an SE separator layer cast with binder (a
    sheet-type film), whose binder blocks its SE necks as a composite's does
    (:func:`neck_blocking` of ``"separator"``: ``Separator binder content [wt%]``,
    ``Separator binder saturated neck conductance fraction``). The value of PyBaMM's
    ``"Separator tortuosity factor (electrolyte)"``."""
    return 1 / neck_blocking("separator")


def entry_diffusivity(domain: str, D):
    """D (1 - theta)^2 [m2.s-1]: the ``domain`` electrode's particle diffusivity ``D`` as
    seen through its uncovered surface (``binder_coverage.entry_diffusivity``)."""
    return bc.entry_diffusivity(D, 1 - coverage(domain))


def electronic_conductivity(domain: str):
    """sigma_s = sigma_carbon f(w) [S.m-1]: the value of PyBaMM's ``"<Domain> electrode
    conductivity [S.m-1]"`` that the parameter sets give (a PyBaMM expression, not a number)."""
    return _electrode(domain, "carbon network conductivity [S.m-1]") * neck_blocking(domain)


def holding_traction(domain: str):
    """P_b0 = eta sigma_c(w) [Pa]: the binder's traction before relaxation."""
    return P("Binder holding fraction of strength") * bm.content_scaled(
        _electrode(domain, "binder measured compressive strength [Pa]"), _content(domain),
        _electrode(domain, "binder measured content [wt%]"))


def binder_fracture_energy(domain: str, phase_prefix: str = ""):
    """Gamma_b [J.m-2] of the binder at its content; the particle diameter is twice the
    contact radius of the phase ``phase_prefix`` (the primary phase: ``"Primary: "``)."""
    diameter = 2 * P(f"{phase_prefix}{domain.capitalize()} particle contact radius [m]")
    return bm.fracture_energy(_electrode(domain, "binder measured cohesion [J.m-2]"),
                              _electrode(domain, "binder measured toughness [J.m-3]"), diameter,
                              _content(domain), _electrode(domain, "binder measured content [wt%]"))


def void_nucleation_factor(domain: str, phase_prefix: str = ""):
    """chi = exp(-Gamma_b / Gamma_chi) [-] (``binder_mechanics.void_nucleation_factor``)."""
    return bm.void_nucleation_factor(binder_fracture_energy(domain, phase_prefix),
                                     P("Binder void nucleation fracture energy scale [J.m-2]"), exp=pybamm.exp)


def cohesive_fracture_energy(domain: str, phase_prefix: str = ""):
    """Gamma = Gamma_b + Gamma_SE [J.m-2]: what the layer's cracks must overcome
    (``models.layer_decohesion``)."""
    return binder_fracture_energy(domain, phase_prefix) + P("Solid electrolyte fracture energy [J.m-2]")


def adhesion_traction(domain: str):
    """P_adh [Pa] at the ``domain`` electrode | SE-layer interface."""
    return bm.adhesion_traction(_electrode(domain, "binder peel adhesion [N.m-1]"),
                                P("Binder adhesion process zone length [m]"))


def electrode_values(pv: pybamm.ParameterValues, domain: str) -> dict:
    """The laws' values for the ``domain`` electrode of ``pv``, as numbers: ``binder
    coverage``, ``neck blocking factor``, ``electronic conductivity [S.m-1]``, ``holding
    traction [Pa]``, ``adhesion traction [Pa]``, ``void nucleation factor`` and
    ``cohesive fracture energy [J.m-2]`` (the last two where ``pv`` has the mechanics
    parameters)."""
    Domain = domain.capitalize()
    prefix = "Primary: " if f"Primary: {Domain} particle contact radius [m]" in pv else ""
    laws = {"binder coverage": coverage(domain), "neck blocking factor": neck_blocking(domain),
            "electronic conductivity [S.m-1]": P(f"{Domain} electrode conductivity [S.m-1]")}
    if "Binder holding fraction of strength" in pv:
        laws |= {"holding traction [Pa]": holding_traction(domain), "adhesion traction [Pa]": adhesion_traction(domain),
                 "void nucleation factor": void_nucleation_factor(domain, prefix),
                 "cohesive fracture energy [J.m-2]": cohesive_fracture_energy(domain, prefix)}
    return {name: float(pv.evaluate(expr)) for name, expr in laws.items()}
