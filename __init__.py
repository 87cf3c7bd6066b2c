"""ssbsim: electro-chemo-mechanical simulation of sulfide all-solid-state batteries.

Subpackages: ``ssbsim.models`` (PyBaMM submodels, pure physics laws),
``ssbsim.parameter_sets`` (one module per cell system), ``ssbsim.simulator``
(simulations, sweeps, fitting, benchmarks, CLI). Entry points:
:func:`ssbsim.simulate`, :func:`ssbsim.sweep`, :func:`ssbsim.fit`,
:func:`ssbsim.validate`; a run's conditions: :class:`ssbsim.Conditions` (with the
enums ``Model``, ``Process``, ``CellType``). Heavy imports (PyBaMM) happen on first use.
"""

__version__ = "0.1.0"


def simulate(preset, **conditions):
    """Simulate a preset cell; see :func:`ssbsim.simulator.simulation.simulate`."""
    from .simulator.simulation import simulate as _simulate

    return _simulate(preset, **conditions)


def sweep(**grid):
    """Run a grid of cases into an HDF5 file; see :func:`ssbsim.simulator.sweep.sweep`."""
    from .simulator.sweep import sweep as _sweep

    return _sweep(**grid)


def fit(preset, points, parameters, **options):
    """Fit named parameters to data; see :func:`ssbsim.simulator.fitting.fit`."""
    from .simulator.fitting import fit as _fit

    return _fit(preset, points, parameters, **options)


def validate(only=None, **options):
    """Run the papers' catalogue of measurements, model vs data; see
    :func:`ssbsim.simulator.validate.validate`."""
    from .simulator.validate import validate as _validate

    return _validate(only, **options)


_CONDITIONS = ("Conditions", "Model", "Process", "CellType")


def __getattr__(name):
    if name in _CONDITIONS:  # imported on first use, as PyBaMM is
        from .simulator import conditions

        return getattr(conditions, name)
    raise AttributeError(f"module 'ssbsim' has no attribute {name!r}")


__all__ = ["simulate", "sweep", "fit", "validate", *_CONDITIONS, "__version__"]
