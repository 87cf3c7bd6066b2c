"""Validated model options for ssbsim's composite-electrode cells."""

import difflib

#: Option name -> allowed values (the first is the default).
OPTIONS = {
    "model": ("DFN", "SPMe", "SPM"),
    "cell": ("half", "full"),
    "fixture": ("constant pressure", "spring", "rigid"),  # models.fixture
}


def check_option(name: str, value):
    """Return ``value`` if allowed for ``name``; raise ValueError with the nearest match."""
    allowed = OPTIONS[name]
    if value in allowed:
        return value
    hint = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
    extra = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise ValueError(f"{name}={value!r} is not one of {', '.join(allowed)}{extra}")
