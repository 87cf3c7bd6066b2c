"""ssbsim.simulator (see the package docstring of :mod:`ssbsim`)."""

if __name__ != "ssbsim.simulator":  # imported as a bare top-level name from the repo root
    raise ImportError(
        "'simulator' is part of the ssbsim package: install it (pip install .) and "
        "import ssbsim.simulator instead of simulator"
    )
