"""ssbsim.simulator: orchestration - presets, simulations, results, the CLI."""

if __name__ != "ssbsim.simulator":  # imported as a bare top-level name from the repo root
    raise ImportError(
        "'simulator' is part of the ssbsim package: install it (pip install .) and "
        "import ssbsim.simulator instead of simulator"
    )

from .conditions import Conditions  # noqa: E402
from .errors import InputError, SimulationError, SsbsimError  # noqa: E402
from .simulation import simulate  # noqa: E402

__all__ = ["simulate", "Conditions", "SsbsimError", "InputError", "SimulationError"]
