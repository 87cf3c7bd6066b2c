"""Validated options of ssbsim's composite-electrode cells, in one table.

:data:`OPTIONS` holds the choices of a composite cell (the model, the cell type and the
electrode process) and ssbsim's own mechanisms (:data:`MECHANISMS`); :func:`check_option`
validates any of them with a nearest-match hint. ``composite_cell.CompositeCellOptions``
carries the mechanisms in ``model.options`` beside PyBaMM's own options, so that the
options of a built model name what runs.
"""

import difflib

#: Option name -> allowed values (the first is the default).
OPTIONS = {
    "model": ("DFN", "SPMe", "SPM"),
    "cell": ("half", "full"),
    "process": ("wet", "dry", "none"),
    # contact loss of the particles (``models.contact_mechanics``): the contact law
    # integrated over lognormal size classes of each particle phase, or perfect contact
    "contact mechanics": ("none", "lognormal size classes"),
    "fixture": ("constant pressure", "spring", "rigid"),  # models.fixture
    # what the binder-covered surface blocks besides charge transfer (models.covered_entry):
    # nothing more, or also Li entry into the particles (the particle diffusivity D (1 - theta)^2)
    "coverage entry": ("none", "effective diffusivity"),
}

#: ssbsim's own mechanisms: options a composite cell's ``model.options`` carries beside PyBaMM's.
MECHANISMS = ("contact mechanics", "fixture", "coverage entry")

#: The value of PyBaMM's ``"loss of active material"`` in an electrode whose particles
#: are isolated by contact loss (``ContactLossActiveMaterial``).
CONTACT_ISOLATION = "contact isolation"


def check_option(name: str, value):
    """Return ``value`` if allowed for ``name``; raise ValueError with the nearest match."""
    allowed = OPTIONS[name]
    if value in allowed:
        return value
    hint = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
    extra = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise ValueError(f"{name}={value!r} is not one of {', '.join(allowed)}{extra}")
