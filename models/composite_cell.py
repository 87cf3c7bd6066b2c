"""Composite-electrode all-solid-state cells as PyBaMM DFN, SPMe or SPM models.

The composite electrode is PyBaMM's porous electrode with

* the sulfide SE as the "electrolyte" (cation transference number 1, set by the
  parameter set) filling the SE volume fraction ("porosity");
* ``"transport efficiency": "tortuosity factor"`` carrying the binder-blocked effective
  ionic conductivity (see ``ssbsim.parameter_sets.components``);
* the interface utilisation replaced by :class:`BinderCoveredContact`, so the active
  interfacial area is a_geom (1 - theta_binder) phi_contact;
* two particle phases (``"particle phases"``) for Si-graphite.

Half cells use PyBaMM's ``"working electrode": "positive"``: the composite (cathode or
anode) is PyBaMM's positive electrode and the counter electrode is a Li metal interface;
voltages are vs Li/Li+, and ``"Voltage vs counter electrode [V]"`` subtracts the counter
electrode's potential (0.62 V for Li-In).
"""

import pybamm

from .interface_contact import BinderCoveredContact
from .options import check_option

_MODELS = {"DFN": pybamm.lithium_ion.DFN, "SPMe": pybamm.lithium_ion.SPMe, "SPM": pybamm.lithium_ion.SPM}


def pybamm_options(cell: str, positive_phases: int = 1, negative_phases: int = 1) -> dict:
    """PyBaMM options for a composite-electrode cell (the utilisation is swapped after)."""
    check_option("cell", cell)
    options = {"transport efficiency": "tortuosity factor"}
    if cell == "half":
        options["working electrode"] = "positive"
        if positive_phases == 2:
            options["particle phases"] = ("1", "2")
    elif (positive_phases, negative_phases) != (1, 1):
        options["particle phases"] = (str(negative_phases), str(positive_phases))
    return options


def composite_cell_model(
    model: str = "DFN", cell: str = "half", positive_phases: int = 1, negative_phases: int = 1,
    composite_domains: tuple = None,
):
    """A built PyBaMM model of a composite-electrode all-solid-state cell.

    Parameters
    ----------
    model : {"DFN", "SPMe", "SPM"}
    cell : {"half", "full"}
        ``half``: composite | SE layer | Li (or Li-In); ``full``: composite | SE | composite.
    positive_phases, negative_phases : {1, 2}
        Number of active-material particle phases (2 for Si-graphite, graphite primary).
    composite_domains : tuple of str, optional
        Electrodes whose utilisation is the binder-covered contact; default: every
        porous electrode of the cell.
    """
    check_option("model", model)
    options = pybamm_options(cell, positive_phases, negative_phases)
    m = _MODELS[model](options=options, build=False)
    if composite_domains is None:
        composite_domains = ("positive",) if cell == "half" else ("negative", "positive")
    for domain in composite_domains:
        m.submodels[f"{domain.capitalize()} interface utilisation"] = BinderCoveredContact(
            m.param, domain, m.options
        )
    m.build_model()
    m.name = f"ssbsim composite {cell} cell ({model})"
    V = m.variables["Voltage [V]"]
    m.variables["Voltage vs counter electrode [V]"] = V - pybamm.Parameter(
        "Counter electrode potential vs Li/Li+ [V]"
    )
    return m
