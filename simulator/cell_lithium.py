"""A cell's lithium kept consistent where ``cell_state`` patches a PyBaMM state: the
particle concentrations of a phase shifted with the contact law's mean stoichiometry of
its connected particles, and a full cell's lithium moved on with the SE reduction's
film across skipped cycles (particles + film + stranded lithium conserved)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pybamm


_PARTICLE_STATE = re.compile(r"^(X-averaged )?(positive|negative|Positive|Negative) (primary |secondary )?"
                             r"particle concentration \[mol\.m-3\]$")


def particle_states(names) -> list[tuple[str, str, str]]:
    """(domain, phase infix, state name) of every particle concentration state among
    ``names``: one per phase of each electrode with particles (DFN or SPM / SPMe)."""
    return [(m.group(2).lower(), m.group(3) or "", n) for n in names if (m := _PARTICLE_STATE.match(n))]


def set_phase_lithium(x, domain: str, infix: str, c_max: float, dc: float, dilution: float = 1.0) -> None:
    """c -> c dilution + dc [mol.m-3] for every concentration of the phase (DFN or SPM /
    SPMe state) and, with it, the contact law's mean stoichiometry of its connected
    particles (if the phase has contact mechanics): the two stay consistent."""
    state = next(n for d, i, n in particle_states(x._vars) if (d, i) == (domain, infix))
    x[state] = x[state] * dilution + dc
    shifts = getattr(x, "shifts", None)  # what the patches did to the phase so far (move_free_lithium)
    if shifts is not None:
        before, shift = shifts.get((domain, infix), (1.0, 0.0))
        shifts[(domain, infix)] = (before * dilution, shift * dilution + dc)
    sto = f"{domain.capitalize()} electrode {infix}mean stoichiometry of connected particles"
    if sto in x:
        x[sto] = x[sto] * dilution + dc / c_max


@dataclass(frozen=True)
class _PhaseLithium:
    """One particle phase's lithium over a representative cycle (:func:`move_free_lithium`)."""

    domain: str
    infix: str
    total: float  # [mol] at the cycle's end
    eps_ratio: float  # active-material fraction after the skip over the cycle's end [-]
    free: float  # [mol] the particles' change plus what the cycle stranded
    correction: float  # [mol] removed with isolated volume, less counted as stranded


#: A cycle "feeds a film" when the lithium its side reactions took exceeds this share of
#: the lithium its particle phases exchanged between cycles (numerical noise stays far below).
FILM_DRIFT_THRESHOLD = 0.01


def move_free_lithium(cycle, x, n_film: float) -> None:
    """In a cell with particles in both electrodes (a full cell), keep particles + film
    + stranded lithium what it was across the skipped cycles.

    Per particle phase p, the free change over the representative cycle ``cycle`` is
    dN_p = the change of its lithium N = eps V <c> plus what the cycle stranded in
    particles it isolated (PyBaMM's ``"Loss of lithium due to loss of ... active
    material ..."``); the side reactions took F = -sum_p dN_p. Besides, ``cell_state.skip_state``
    removed the isolated volume's lithium at the cycle's end concentration but counted
    as stranded the cycle's ratio of stranded lithium to isolated volume: the difference
    r_p is still cyclable. Where it mixed reconnected lithium into the particles
    (c -> c d + s, ``x.shifts``), the particles hold N_end (eps / eps_end) (d + s / <c>_end).

    * A cycle that feeds a film (F > 0, the SE reduction of a full cell's anode; a full
      cell's inventory is finite): the film's states move on by ``n_film`` times their
      change (``cell_state.film_cycles``), and so does every phase's lithium, by ``n_film`` dN_p
      (plus its r_p), which takes n_film F out of the particles where the cycle took it.
    * A cycle without one: the cut-offs set where the lithium sits at the end of a
      cycle, and the next solved cycle puts it there; only sum_p r_p is placed, in the
      phases the cycle moved free lithium to.

    The change is a uniform shift of the phase's concentrations (and of the contact law's
    mean stoichiometry of connected particles); one that would leave a concentration
    outside (0, c_max) raises ``pybamm.SolverError``, and the fast path halves the skip.
    A Li half cell's counter electrode supplies the lithium, so there the working
    electrode's state is left as the cycle ended it.
    """
    states = particle_states(x._vars)
    if {d for d, _, _ in states} != {"positive", "negative"}:
        return
    phases = []
    for domain, infix, _ in states:
        phase = infix.strip() or "primary"
        total = np.ravel(cycle[f"Total lithium in {phase} phase in {domain} electrode [mol]"].entries)
        free, correction = total[-1] - total[0], 0.0
        stranded = f"Loss of lithium due to loss of {infix}active material in {domain} electrode [mol]"
        eps = f"X-averaged {domain} electrode {infix}active material volume fraction"
        eps_ratio = x[eps][0] / np.ravel(cycle[eps].entries)[-1] if eps in x else 1.0
        if stranded in x:
            lost = np.ravel(cycle[stranded].entries)
            free += lost[-1] - lost[0]
            dilution, shift = getattr(x, "shifts", {}).get((domain, infix), (1.0, 0.0))
            c_end = np.ravel(cycle[f"{domain.capitalize()} electrode {infix}volume-averaged concentration "
                                   "[mol.m-3]"].entries)[-1]
            kept = eps_ratio * (dilution + shift / c_end)  # the patched particles' lithium over N_end
            # removed with the isolated volume, less counted as stranded
            correction = total[-1] * (1.0 - kept) - (x[stranded][0] - lost[-1])
        phases.append(_PhaseLithium(domain, infix, total[-1], eps_ratio, free, correction))
    film = -sum(p.free for p in phases)  # [mol] per cycle
    feeds_film = film > FILM_DRIFT_THRESHOLD * sum(abs(p.free) for p in phases)
    gained = sum(max(p.free, 0.0) for p in phases)
    returned = sum(p.correction for p in phases)
    for p in phases:
        if feeds_film:  # the phases' lithium drifts with the film: moved on like it
            change = n_film * p.free + p.correction
        else:  # where the cycle moved free lithium to
            change = returned * max(p.free, 0.0) / gained if gained > 0 else p.correction
        if p.total <= 0 or change == 0:
            continue
        Domain = p.domain.capitalize()
        c_mean = np.ravel(cycle[f"{Domain} electrode {p.infix}volume-averaged concentration [mol.m-3]"].entries)[-1]
        c_max = c_mean / np.ravel(cycle[f"{Domain} electrode {p.infix}stoichiometry"].entries)[-1]
        dc = change * c_mean / (p.total * p.eps_ratio)  # [mol.m-3]: eps_new V dc = change
        state = next(n for d, i, n in states if (d, i) == (p.domain, p.infix))
        if (x[state] + dc).min() <= 0 or (x[state] + dc).max() >= c_max:
            raise pybamm.SolverError(f"a skip of {n_film:.3g} cycles' film growth would move the {p.domain} electrode's "
                                     f"{p.infix}particle concentration out of (0, c_max)")
        set_phase_lithium(x, p.domain, p.infix, c_max, dc)
