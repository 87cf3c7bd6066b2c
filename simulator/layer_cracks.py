"""How far a swelling phase's layer cracked in a solved run (``models.layer_decohesion``).

The contact law evaluates the layer's decohered fraction zeta inside each size class's
isolation rate and keeps only its consequence (the particles the cracks cut off join the
isolated ones for good); this module evaluates the same law on the solved radial strain
and effective pressure, so a result can say that its capacity fell because the layer
cracked, not because particles lost contact.
"""

from __future__ import annotations

import numpy as np

from ssbsim.models import binder_laws
from ssbsim.models.layer_decohesion import decohered_fraction_of_strain
from ssbsim.models.phases import phase_names

#: zeta above which a result carries a note: 1 % of the swelling phase's layer decohered
NOTE_THRESHOLD = 0.01


def layer_decohered_fraction(sol, pv) -> np.ndarray:
    """zeta(t) [-] of the cell: the largest, over the particle phases of every electrode
    with contact mechanics (a full cell's anode too), of the layer-decohesion law at the
    phase's radial strain and its electrode's effective pressure (G = H (Z E (phi s+)^2 -
    P_eff phi s+), zeta = r^(1/w) / (1 + r^(1/w)), r = G+ / Gamma), with the law's
    parameters as the model has them."""
    model = sol.all_models[0]
    zeta = np.zeros_like(sol.t)
    for Domain in ("Negative", "Positive"):
        if f"{Domain} electrode effective pressure [Pa]" not in model.variables:
            continue  # no contact mechanics in this electrode (a Li or Li-In counter electrode)
        gamma = binder_laws.electrode_values(pv, Domain.lower())["cohesive fracture energy [J.m-2]"]
        P_eff = np.ravel(sol[f"{Domain} electrode effective pressure [Pa]"].entries) + np.zeros_like(sol.t)
        for pre, infix in phase_names(model.options, Domain.lower()):
            s = np.ravel(sol[f"{Domain} electrode {infix}radial strain"].entries)
            zeta = np.maximum(zeta, decohered_fraction_of_strain(
                s, P_eff, float(pv["Composite layer modulus [Pa]"]), float(pv[f"{Domain} electrode thickness [m]"]),
                gamma, float(pv["Layer fracture energy scatter"]),
                float(pv[f"{pre}{Domain} electrode swelling particle volume fraction"]), power=np.power))
    return zeta


def layer_crack_note(zeta_max: float) -> str | None:
    """The note of a run whose layer cracked (``zeta_max`` >= :data:`NOTE_THRESHOLD`)."""
    if not zeta_max >= NOTE_THRESHOLD:
        return None
    return (f"layer decohesion: the swelling phase cracked its layer (up to {100 * zeta_max:.0f} % decohered) "
            "and the particles the cracks cut off stay isolated; the layer's modulus is assumed (physics "
            "guide, Layer decohesion)")
