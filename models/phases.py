"""PyBaMM's naming of particle phases, in one place.

A one-phase electrode has no prefix; with two phases, parameters start with
``"Primary: "`` / ``"Secondary: "`` and variables carry ``"primary "`` /
``"secondary "`` after the electrode name (``"Positive electrode primary ..."``).
"""


def phase_names(options, domain: str) -> list[tuple[str, str]]:
    """(parameter prefix, variable infix) of each particle phase of ``domain``."""
    phases = options.phases[domain]
    if len(phases) == 1:
        return [("", "")]
    return [(f"{p.capitalize()}: ", f"{p} ") for p in phases]
