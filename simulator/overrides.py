"""Parameter overrides (``parameters=``, ``--params FILE``, a fit's ``--param``) set on a
parameter set's values, and the values that follow from the geometry they change.

A parameter set derives two values from an electrode's geometry
(``parameter_sets.components``):

* each composite electrode's active material mass loading, L sum_k eps_k rho_k [kg.m-2]
  (thickness, and each particle phase's active volume fraction and density), which
  normalises the capacities per gram;
* the nominal (1C) capacity, the parameter set's 1C specific capacity times the positive
  electrode's active mass (its loading times the electrode's height times width), from
  which PyBaMM turns C-rates into currents.

:func:`apply_overrides` sets the user's numbers and recomputes both from the changed
geometry: each is the parameter set's value times the ratio of L sum_k eps_k rho_k (and of
the area) after and before the overrides, so that values whose geometry is unchanged stay
exactly as built. The entries built from the volume fractions (the tortuosity factors, the
swelling particles' fraction) follow the fractions the same way unless set themselves.
The derived values themselves cannot be overridden (:data:`DERIVED`, refused by
``params_file.check_value``). An override that makes a composite electrode's
volume fractions (active phases, SE, voids) sum to more than 1, or leaves it without active
material, is refused.
"""

from __future__ import annotations

import difflib

from .errors import InputError

NOMINAL_CAPACITY = "Nominal cell capacity [A.h]"
AREA = ("Electrode height [m]", "Electrode width [m]")
_PHASES = ("", "Primary: ", "Secondary: ")


def loading_name(domain: str) -> str:
    """The active material mass loading [kg.m-2] of the ``Positive`` or ``Negative`` electrode."""
    return f"{domain} electrode active material mass loading [kg.m-2]"


def composite_domains(values) -> list[str]:
    """The electrodes of ``values`` that are composites (have an active mass loading)."""
    return [d for d in ("Positive", "Negative") if loading_name(d) in values]


def _phases(values, domain: str) -> list[str]:
    return [pre for pre in _PHASES if f"{pre}{domain} electrode active material volume fraction" in values]


def geometry_sources(values, domain: str) -> list[str]:
    """The parameters the ``domain`` electrode's active mass is made of: its thickness and
    each phase's active volume fraction and density."""
    return [f"{domain} electrode thickness [m]"] + [
        f"{pre}{domain} electrode {what}" for pre in _phases(values, domain)
        for what in ("active material volume fraction", "density [kg.m-3]")]


def fraction_names(values, domain: str) -> list[tuple[str, str]]:
    """(label, parameter) of each volume fraction of the ``domain`` composite: its active
    phases, the SE (PyBaMM's porosity) and the voids (carbon and binder are not parameters)."""
    phases = _phases(values, domain)
    active = [(f"active{f' ({pre[:-2].lower()})' if pre else ''}",
               f"{pre}{domain} electrode active material volume fraction") for pre in phases]
    return active + [("SE", f"{domain} electrode porosity"), ("voids", f"{domain} electrode void fraction")]


def _active_mass_per_area(values, domain: str) -> float:
    """L sum_k eps_k rho_k [kg.m-2] of the ``domain`` electrode."""
    D = f"{domain} electrode"
    return values[f"{D} thickness [m]"] * sum(
        values[f"{pre}{D} active material volume fraction"] * values[f"{pre}{D} density [kg.m-3]"]
        for pre in _phases(values, domain))


def check_volume_fractions(values, domain: str, changed: dict) -> None:
    """InputError naming the ``changed`` overrides if the ``domain`` composite's volume
    fractions in ``values`` sum to more than 1."""
    terms = [(label, values[name]) for label, name in fraction_names(values, domain) if name in values]
    total = sum(v for _, v in terms)
    if total > 1.0 + 1e-12:
        parts = " + ".join(f"{label} {v:.3g}" for label, v in terms)
        raise InputError(f"{_given(changed)} make{'' if len(changed) > 1 else 's'} the {domain.lower()} "
                         f"electrode's volume fractions sum to {total:.3g} > 1 ({parts}); allowed: a sum <= 1")


def _given(overrides: dict) -> str:
    return f"parameter{'s' if len(overrides) > 1 else ''} " + ", ".join(f"{k!r}={v:g}" for k, v in overrides.items())


def apply_overrides(values: dict, overrides, parameter_set: str) -> dict:
    """``values`` (a parameter set's dict, changed in place and returned) with the numeric
    ``overrides`` ((name, value) pairs) set, each composite's volume fractions checked and
    the active mass loadings and nominal capacity recomputed (module docstring); else
    InputError naming the parameter(s)."""
    overrides = dict(overrides)
    for name in overrides:
        if name not in values:
            close = difflib.get_close_matches(name, [k for k in values if isinstance(k, str)], n=1, cutoff=0.6)
            raise InputError(f"parameter {name!r} is not in parameter set {parameter_set}"
                             + (f"; did you mean {close[0]!r}?" if close else ""))
        if callable(values[name]):
            raise InputError(f"parameter {name!r} is a function in parameter set {parameter_set}; "
                             "a parameter file can only set numbers")
    domains = composite_domains(values)
    before = {d: _active_mass_per_area(values, d) for d in domains}
    area_before = values[AREA[0]] * values[AREA[1]]
    old = dict(values)
    values.update(overrides)
    for d in domains:
        _follow_fractions(values, old, overrides, d)
        changed = {n: overrides[n] for _, n in fraction_names(values, d) if n in overrides}
        if changed:
            check_volume_fractions(values, d, changed)
        sources = {n: overrides[n] for n in geometry_sources(values, d) if n in overrides}
        if sources:
            if _active_mass_per_area(values, d) <= 0.0:
                raise InputError(f"{_given(sources)} leave{'' if len(sources) > 1 else 's'} the {d.lower()} "
                                 "electrode without active material; allowed: an active volume fraction > 0")
            values[loading_name(d)] *= _active_mass_per_area(values, d) / before[d]
    if "Positive" in domains and any(n in overrides for n in geometry_sources(values, "Positive") + list(AREA)):
        values[NOMINAL_CAPACITY] *= (_active_mass_per_area(values, "Positive") / before["Positive"]
                                     * values[AREA[0]] * values[AREA[1]] / area_before)
    return values


def _follow_fractions(values, old, overrides, domain: str):
    """The ``domain`` composite's entries built from its volume fractions, moved with them
    where the overrides change the fractions and do not set the entry themselves
    (``parameter_sets.components``): the SE network's tortuosity factor tau = eps^(1 - b)
    (SE fraction eps, exponent b, each as built or overridden), the electronic one 1 - eps,
    and each phase's swelling particle volume fraction, in proportion to its active one."""
    D = f"{domain} electrode"
    eps, b = f"{D} porosity", f"{D} Bruggeman coefficient (electrolyte)"
    tau, tau_s = f"{D} tortuosity factor (electrolyte)", f"{D} tortuosity factor (electrode)"
    if (eps in overrides or b in overrides) and tau not in overrides and tau in values:
        values[tau] = old[tau] * values[eps] ** (1 - values[b]) / old[eps] ** (1 - old[b])
    if eps in overrides and tau_s not in overrides and tau_s in values:
        values[tau_s] = 1.0 - values[eps]
    for pre in _phases(values, domain):
        active, swelling = f"{pre}{D} active material volume fraction", f"{pre}{D} swelling particle volume fraction"
        if active in overrides and swelling not in overrides and swelling in values and old[active] > 0:
            values[swelling] = old[swelling] * values[active] / old[active]


def derived_inputs(names, values) -> set[str]:
    """The derived values the model uses that follow from the parameters ``names`` (a
    runner that takes ``names`` as PyBaMM inputs takes them as inputs too): the nominal
    capacity if any of them sets the positive electrode's active mass or the area, and the
    entries :func:`_follow_fractions` moves with the volume fractions they set."""
    names = set(names)
    sources = set(AREA) | (set(geometry_sources(values, "Positive")) if "Positive" in composite_domains(values)
                           else set())
    out = {NOMINAL_CAPACITY} if sources & names else set()
    for d in composite_domains(values):
        D = f"{d} electrode"
        if names & {f"{D} porosity", f"{D} Bruggeman coefficient (electrolyte)"}:
            out.add(f"{D} tortuosity factor (electrolyte)")
        if f"{D} porosity" in names:
            out.add(f"{D} tortuosity factor (electrode)")
        out |= {f"{pre}{D} swelling particle volume fraction" for pre in _phases(values, d)
                if f"{pre}{D} active material volume fraction" in names}
    return {n for n in out - names if n in values}


#: Derived parameters -> how to change them (``params_file.check_value`` refuses them).
DERIVED = {
    r"electrode active material mass loading \[kg\.m-2\]$":
        "it follows from the electrode's geometry (thickness x active material volume fraction x density "
        "of each phase): set those instead",
    r"^Nominal cell capacity \[A\.h\]$":
        "it follows from the positive electrode's active mass (thickness, active material volume fraction, "
        "density, electrode height and width) and the parameter set's 1C definition: set those, and the "
        "current with --c-rate / c_rate=",
}
