"""Binder coverage of a composite electrode: pure laws, no PyBaMM.

A wet-processed (slurry) binder dissolves and coats particles. Every covered patch of
active material (AM) is lost for charge transfer, and every covered solid-electrolyte (SE)
neck is a constriction for Li+ (and, between carbon particles, for electrons). A dry
(PTFE fibril) binder leaves surfaces open but its fibrils still separate some SE grains.

Two laws describe this, each a function of the binder content ``w`` [wt% of the
electrode solids] and of constants that depend on the process (``"wet"``, ``"dry"`` or
``"none"``, :data:`PROCESS_INPUTS`):

* Active-surface coverage (Kolmogorov-Johnson-Mehl-Avrami form of film patches that grow
  once the high-area carbon is saturated), :func:`coverage`:

  .. math:: \\theta(w) = \\theta_{max} \\left[1 - \\exp\\left(-(w/w_c)^n\\right)\\right]

  Fitted to the GITT active areas of Jo et al., J. Electrochem. Soc. (2024)
  (NBR 0.5-2.5 wt%, relative area 1.00/0.94/0.82/0.67/0.63): theta_max = 0.380,
  w_c = 1.656 wt%, n = 3.613; largest residual 0.008 (``scripts/calibrate_binder_laws.py``).
  Dry and binder-free electrodes have theta_max = 0.

* SE-neck blocking factor (the fraction of the binder-free percolating conductance left),
  :func:`neck_blocking`:

  .. math:: f(w) = f_{sat} + (1 - f_{sat}) \\exp(-w / w_{neck})

  Binder wicks into the SE necks first (capillarity during drying), so the loss saturates
  at low content. f_sat follows from Emley et al., Mater. Futures (2023) at 0.5 wt%:
  wet NBR 3.3e-6 S/cm and dry PTFE 6.9e-5 S/cm against 1.7e-4 S/cm binder-free.
  w_neck = 0.1 wt% is an assumption: only 0.5 wt% was measured, and the blocking is
  taken as saturated from there on (Jo 2024's 0.05C capacities cannot tell: they move by
  1.4 mAh/g between f = 0.0128 and no blocking). The same geometric factor applies to the electronic network:
  it predicts the wet/dry electronic ratio of Emley 2023 within a factor 1.4.

The effective conductivity of the SE network in the composite is

.. math:: \\sigma_{eff} = \\sigma_{SE}\\, \\varepsilon_{SE}^{b}\\, f(w)

with the Bruggeman-type exponent ``b`` calibrated on Emley's binder-free reference
(tortuous SE paths around 70 wt% cathode particles give b ~ 3.7, far above 1.5).

The laws are written once on an ``exp`` argument: the model evaluates them on PyBaMM
parameters (``models.binder_laws``, ``exp=pybamm.exp``), the number-valued helpers
below on floats. Every constant is a PyBaMM parameter (:data:`LAW_CONSTANTS`), so fits,
sweeps and parameter files reach it.
"""

from __future__ import annotations

import math

from .options import OPTIONS, check_option

#: Allowed electrode-processing routes (the options table's ``"process"``).
PROCESSES = OPTIONS["process"]

#: Allowed binder contents [wt% of electrode solids].
BINDER_CONTENT_RANGE_WT_PCT = (0.0, 10.0)


def coverage(w, theta_max, w_c, n, exp=math.exp):
    """``theta = theta_max (1 - exp(-(w / w_c)^n))`` [-] (w and w_c in wt%)."""
    return theta_max * (1.0 - exp(-((w / w_c) ** n)))


def neck_blocking(w, f_sat, w_neck, exp=math.exp):
    """f = f_sat + (1 - f_sat) exp(-w / w_neck) [-] (w and w_neck in wt%)."""
    return f_sat + (1.0 - f_sat) * exp(-w / w_neck)


def entry_diffusivity(D, open_fraction):
    """D u^2 [m2.s-1]: the diffusivity that gives a sphere whose Li enters through the
    fraction ``open_fraction`` = u of its surface the short-time (Weppner-Huggins)
    transient of full-surface entry (``models.covered_entry``)."""
    return D * open_fraction**2


def _f_sat_from_point(f_at_w: float, w: float, w_neck: float) -> float:
    """Invert f(w) = f_sat + (1 - f_sat) exp(-w/w_neck) for f_sat."""
    e = math.exp(-w / w_neck)
    return (f_at_w - e) / (1.0 - e)


#: The laws' constants: PyBaMM parameter name -> value (sources in provenance.toml).
#: Jo 2024 (NBR, wet slurry) active-area fit (scripts/calibrate_binder_laws.py).
LAW_CONSTANTS = {
    "Wet binder coverage maximum": 0.3802,
    "Wet binder coverage content scale [wt%]": 1.6562,
    "Wet binder coverage Avrami exponent": 3.6133,
    "Binder neck blocking content scale [wt%]": 0.1,
}
#: f_sat from Emley 2023 at 0.5 wt%, f(0.5) = 3.3e-6/1.7e-4 (wet) and 6.9e-5/1.7e-4 (dry),
#: at the content scale above (a fit that sets another scale sets f_sat with it).
LAW_CONSTANTS |= {
    f"{process} binder saturated neck conductance fraction": _f_sat_from_point(
        sigma / 1.7e-4, 0.5, LAW_CONSTANTS["Binder neck blocking content scale [wt%]"])
    for process, sigma in (("Wet", 3.3e-6), ("Dry", 6.9e-5))
}

#: The electrode's process-dependent inputs, per process: the name of the law constant
#: (of :data:`LAW_CONSTANTS`) the input takes, or a number. Dry PTFE fibrils and
#: binder-free electrodes leave the AM surface open; a binder-free electrode has no
#: blocked necks.
PROCESS_INPUTS = {
    "wet": {"binder coverage maximum": "Wet binder coverage maximum",
            "binder saturated neck conductance fraction": "Wet binder saturated neck conductance fraction"},
    "dry": {"binder coverage maximum": 0.0,
            "binder saturated neck conductance fraction": "Dry binder saturated neck conductance fraction"},
    "none": {"binder coverage maximum": 0.0, "binder saturated neck conductance fraction": 1.0},
}


def check_binder(binder_content_wt_pct: float, process: str) -> None:
    """Raise ``ValueError`` naming the parameter, its value and the allowed range."""
    check_option("process", process)
    lo, hi = BINDER_CONTENT_RANGE_WT_PCT
    w = binder_content_wt_pct
    if not math.isfinite(w) or not lo <= w <= hi:
        raise ValueError(
            f"binder content={w} wt% is outside the allowed range {lo:g}-{hi:g} wt%"
        )
    if process == "none" and w != 0:
        raise ValueError(
            f"binder content={w} wt% must be 0 for process='none' (binder-free)"
        )


def process_input(process: str, name: str, constants: dict | None = None) -> float:
    """The number the process-dependent input ``name`` takes for ``process``."""
    v = PROCESS_INPUTS[process][name]
    return (constants or LAW_CONSTANTS)[v] if isinstance(v, str) else v


def active_area_coverage(binder_content_wt_pct: float, process: str, constants: dict | None = None) -> float:
    """Fraction of the active-material surface covered by binder, theta [-].

    Parameters
    ----------
    binder_content_wt_pct : float
        Binder content w [wt% of electrode solids], 0 ... 10.
    process : {"wet", "dry", "none"}
        ``wet`` slurry binders coat particles (Avrami law above); ``dry`` PTFE fibrils
        and binder-free electrodes leave the surface open (theta = 0).
    constants : dict, optional
        Law constants by PyBaMM name; default :data:`LAW_CONSTANTS`.
    """
    check_binder(binder_content_wt_pct, process)
    c = constants or LAW_CONSTANTS
    return float(coverage(binder_content_wt_pct, process_input(process, "binder coverage maximum", c),
                          c["Wet binder coverage content scale [wt%]"], c["Wet binder coverage Avrami exponent"]))


def relative_active_area(
    binder_content_wt_pct: float, process: str, reference_wt_pct: float = 0.5
) -> float:
    """Active interfacial area relative to the same process at ``reference_wt_pct``.

    This is what GITT measures (Jo 2024 normalise to 0.5 wt%):
    (1 - theta(w)) / (1 - theta(w_ref)).
    """
    return (1.0 - active_area_coverage(binder_content_wt_pct, process)) / (
        1.0 - active_area_coverage(reference_wt_pct, process)
    )


def neck_blocking_factor(binder_content_wt_pct: float, process: str, constants: dict | None = None) -> float:
    """Fraction f [-] of the binder-free SE (and carbon) network conductance left."""
    check_binder(binder_content_wt_pct, process)
    c = constants or LAW_CONSTANTS
    return float(neck_blocking(binder_content_wt_pct,
                               process_input(process, "binder saturated neck conductance fraction", c),
                               c["Binder neck blocking content scale [wt%]"]))


def effective_conductivity(
    bulk_conductivity: float,
    volume_fraction: float,
    bruggeman_exponent: float,
    binder_content_wt_pct: float,
    process: str,
) -> float:
    """Effective conductivity of a percolating phase in the composite [S.m-1].

    sigma_eff = sigma_bulk * eps^b * f(w). Used for the SE network (ions) and, with the
    binder-free carbon-network conductivity as ``bulk_conductivity`` and b = 0, for
    electrons.
    """
    if not 0 < volume_fraction <= 1:
        raise ValueError(f"volume fraction={volume_fraction} is outside (0, 1]")
    return (
        bulk_conductivity
        * volume_fraction**bruggeman_exponent
        * neck_blocking_factor(binder_content_wt_pct, process)
    )
