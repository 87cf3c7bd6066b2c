"""How far a swelling phase's layer cracked in a solved run (``models.layer_decohesion``).

The contact law evaluates the layer's decohered fraction zeta inside each size class's
isolation rate and keeps only its consequence (the particles the cracks cut off join the
isolated ones for good); this module evaluates the same law on the solved radial strain
and effective pressure, so a result can say that its capacity fell because the layer
cracked, not because particles lost contact.
"""

from __future__ import annotations

import numpy as np

from ssbsim.models.contact_law import ContactLawParameters

from .cell_state import contact_phases, layer_zeta

#: zeta above which a result carries a note: 1 % of the swelling phase's layer decohered
NOTE_THRESHOLD = 0.01


def layer_decohered_fraction(sol, pv) -> np.ndarray:
    """zeta(t) [-] of the cell: the largest, over the contact phases of every electrode
    with contact mechanics (``cell_state.contact_phases``: a full cell's anode too), of the
    layer-decohesion law at the phase's radial strain and its electrode's effective
    pressure, as the fast path's drivers evaluate it (``cell_state.layer_zeta``)."""
    law = ContactLawParameters.from_parameters(pv)
    zeta = np.zeros_like(sol.t)
    for ph in contact_phases(sol.all_models[-1], pv):
        s = np.ravel(sol[f"{ph.name}radial strain"].entries)
        P_eff = np.ravel(sol[f"{ph.domain.capitalize()} electrode effective pressure [Pa]"].entries) + np.zeros_like(s)
        zeta = np.maximum(zeta, layer_zeta(s, P_eff, ph, law))
    return zeta


def layer_crack_note(zeta_max: float) -> str | None:
    """The note of a run whose layer cracked (``zeta_max`` >= :data:`NOTE_THRESHOLD`)."""
    if not zeta_max >= NOTE_THRESHOLD:
        return None
    return (f"layer decohesion: the swelling phase cracked its layer (up to {100 * zeta_max:.0f} % decohered) "
            "and the particles the cracks cut off stay isolated; the layer's modulus is assumed (physics "
            "guide, Layer decohesion)")
