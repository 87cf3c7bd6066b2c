"""ssbsim.parameter_sets (see the package docstring of :mod:`ssbsim`)."""

if __name__ != "ssbsim.parameter_sets":  # imported as a bare top-level name from the repo root
    raise ImportError(
        "'parameter_sets' is part of the ssbsim package: install it (pip install .) and "
        "import ssbsim.parameter_sets instead of parameter_sets"
    )

#: PyBaMM parameter-set names (entry points) -> module names.
PARAMETER_SETS = {
    "Kwon2022": "kwon2022",
    "Jo2024": "jo2024",
    "Emley2023": "emley2023",
    "Choi2025": "choi2025",
}

# The papers these sets cite ("Kwon2022", ...) become known to pybamm.citations.
from ssbsim.citations import register_bibliography  # noqa: E402

register_bibliography()
