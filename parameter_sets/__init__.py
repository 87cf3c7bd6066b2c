"""ssbsim.parameter_sets (see the package docstring of :mod:`ssbsim`)."""

if __name__ != "ssbsim.parameter_sets":  # imported as a bare top-level name from the repo root
    raise ImportError(
        "'parameter_sets' is part of the ssbsim package: install it (pip install .) and "
        "import ssbsim.parameter_sets instead of parameter_sets"
    )
