"""ssbsim.models: PyBaMM submodels and models, and the pure physics laws they use."""

if __name__ != "ssbsim.models":  # imported as a bare top-level name from the repo root
    raise ImportError(
        "'models' is part of the ssbsim package: install it (pip install .) and "
        "import ssbsim.models instead of models"
    )

from .composite_cell import composite_cell_model, pybamm_options  # noqa: E402
from .interface_contact import BinderCoveredContact  # noqa: E402

__all__ = ["composite_cell_model", "pybamm_options", "BinderCoveredContact"]
