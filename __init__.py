"""ssbsim: electro-chemo-mechanical simulation of sulfide all-solid-state batteries.

Subpackages: ``ssbsim.models`` (PyBaMM submodels, pure physics laws),
``ssbsim.parameter_sets`` (one module per cell system), ``ssbsim.simulator``
(simulations, CLI). The main entry point is :func:`ssbsim.simulate`.
"""

__version__ = "0.1.0"


def simulate(preset, **conditions):
    """Simulate a preset cell; see :func:`ssbsim.simulator.simulation.simulate`."""
    from .simulator.simulation import simulate as _simulate

    return _simulate(preset, **conditions)


__all__ = ["simulate", "__version__"]
