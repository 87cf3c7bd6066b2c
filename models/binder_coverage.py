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
  at low content. f_sat follows from Emley et al., Mater. Futures (2023) at 0.5 wt%
  against their binder-free 1.7e-4 S/cm: dry PTFE 6.9e-5 S/cm; wet NBR 3.3e-6 S/cm, of
  which the process solvent's damage to the SE is a measured part (their dry electrode
  made of solvent-soaked SE conducts 1.3e-5 S/cm, 0.188 of the untreated one): the wet
  binder's own blocking is 3.3e-6 / (1.7e-4 x 0.188) = 0.103. The solvent's damage
  belongs to Emley's process, not to every wet electrode: it is an electrode input
  (``"<Domain> electrode SE solvent conductance fraction"``, 1 unless measured,
  :data:`EMLEY2023_SOLVENT_CONDUCTANCE_FRACTION` for Emley's wet cells). Jo 2024's GITT
  active areas read in the DFN by Jo's GITT (``ssbsim characterise gitt``) need a
  composite that conducts ~10x better than Emley's wet one, which the binder's own
  blocking gives and the solvent-damaged total does not.
  w_neck = 0.1 wt% is an assumption: only 0.5 wt% was measured, and the blocking is
  taken as saturated from there on.

* Carbon-contact blocking factor of the electronic network, :func:`carbon_contact_blocking`:
  the same form with its own f_sat. A wet binder coats the high-area carbon and
  insulates carbon | carbon contacts (Emley 2023: wet 3.0e-3 against dry 4.6e-2 S/cm,
  15x, where the SE necks lose 4x to the binder itself); dry PTFE fibrils separate
  both networks' contacts alike (the dry SE-neck constant).

The effective conductivity of the SE network in the composite is

.. math:: \\sigma_{eff} = \\sigma_{SE}\\, \\varepsilon_{SE}^{b}\\, f(w)\\, s_{solv}

with the Bruggeman-type exponent ``b`` calibrated on Emley's binder-free reference
(tortuous SE paths around 70 wt% cathode particles give b = 4.0, far above 1.5), and
s_solv the electrode's SE solvent conductance fraction (1 unless measured).

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
#: Emley 2023's composite conductivities at 0.5 wt% binder, 30 C, 21 MPa [S/cm]
#: (calibration_points.csv): ionic by ion-blocking cells, electronic by DC polarisation.
EMLEY2023_IONIC_S_CM = {"wet": 3.3e-6, "dry": 6.9e-5, "dry, solvent-soaked SE": 1.3e-5, "binder-free": 1.7e-4}
EMLEY2023_ELECTRONIC_S_CM = {"wet": 3.0e-3, "dry": 4.6e-2}
#: The fraction of its conductance Emley's SE keeps after soaking in their wet process's
#: solvent (dry electrodes of soaked vs untreated SE): measured, an input of Emley's wet
#: electrodes only.
EMLEY2023_SOLVENT_CONDUCTANCE_FRACTION = EMLEY2023_IONIC_S_CM["dry, solvent-soaked SE"] / EMLEY2023_IONIC_S_CM["dry"]


def _emley_f_sat(f_at_half_wt_pct: float) -> float:
    """f_sat from the blocking factor at Emley's 0.5 wt%, at the content scale above (a
    fit that sets another scale sets f_sat with it)."""
    return _f_sat_from_point(f_at_half_wt_pct, 0.5, LAW_CONSTANTS["Binder neck blocking content scale [wt%]"])


#: f_sat of the SE necks: dry f(0.5) = 6.9e-5 / 1.7e-4; wet f(0.5) = 3.3e-6 / (1.7e-4 x the
#: solvent's 0.188), the binder's own blocking.
LAW_CONSTANTS |= {
    "Wet binder saturated neck conductance fraction":
        _emley_f_sat(EMLEY2023_IONIC_S_CM["wet"]
                     / (EMLEY2023_IONIC_S_CM["binder-free"] * EMLEY2023_SOLVENT_CONDUCTANCE_FRACTION)),
    "Dry binder saturated neck conductance fraction":
        _emley_f_sat(EMLEY2023_IONIC_S_CM["dry"] / EMLEY2023_IONIC_S_CM["binder-free"]),
}
#: f_sat of the wet binder's carbon contacts: the wet / dry electronic ratio times the dry
#: blocking (the binder-free carbon network conducts sigma_dry / f_dry).
LAW_CONSTANTS["Wet binder saturated carbon contact conductance fraction"] = _emley_f_sat(
    EMLEY2023_ELECTRONIC_S_CM["wet"] / EMLEY2023_ELECTRONIC_S_CM["dry"]
    * neck_blocking(0.5, LAW_CONSTANTS["Dry binder saturated neck conductance fraction"],
                    LAW_CONSTANTS["Binder neck blocking content scale [wt%]"]))

#: The electrode's process-dependent inputs, per process: the name of the law constant
#: (of :data:`LAW_CONSTANTS`) the input takes, or a number. Dry PTFE fibrils and
#: binder-free electrodes leave the AM surface open; a binder-free electrode has no
#: blocked necks; a wet binder blocks the carbon contacts by its own constant, dry fibrils
#: both networks' contacts alike.
PROCESS_INPUTS = {
    "wet": {"binder coverage maximum": "Wet binder coverage maximum",
            "binder saturated neck conductance fraction": "Wet binder saturated neck conductance fraction",
            "binder saturated carbon contact conductance fraction":
                "Wet binder saturated carbon contact conductance fraction"},
    "dry": {"binder coverage maximum": 0.0,
            "binder saturated neck conductance fraction": "Dry binder saturated neck conductance fraction",
            "binder saturated carbon contact conductance fraction": "Dry binder saturated neck conductance fraction"},
    "none": {"binder coverage maximum": 0.0, "binder saturated neck conductance fraction": 1.0,
             "binder saturated carbon contact conductance fraction": 1.0},
}


#: The process input that sets each network's blocking factor.
NETWORK_INPUTS = {"ionic": "binder saturated neck conductance fraction",
                  "electronic": "binder saturated carbon contact conductance fraction"}


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


def neck_blocking_factor(binder_content_wt_pct: float, process: str, constants: dict | None = None,
                         network: str = "ionic") -> float:
    """Fraction f [-] of the binder-free network conductance left: the SE necks'
    (``network="ionic"``) or the carbon contacts' (``"electronic"``)."""
    check_binder(binder_content_wt_pct, process)
    if network not in NETWORK_INPUTS:
        raise ValueError(f"network={network!r}; allowed: {', '.join(NETWORK_INPUTS)}")
    c = constants or LAW_CONSTANTS
    return float(neck_blocking(binder_content_wt_pct, process_input(process, NETWORK_INPUTS[network], c),
                               c["Binder neck blocking content scale [wt%]"]))


def effective_conductivity(
    bulk_conductivity: float,
    volume_fraction: float,
    bruggeman_exponent: float,
    binder_content_wt_pct: float,
    process: str,
    network: str = "ionic",
    solvent_conductance_fraction: float = 1.0,
) -> float:
    """Effective conductivity of a percolating phase in the composite [S.m-1].

    sigma_eff = sigma_bulk * eps^b * f(w) * s_solv. Used for the SE network (ions) and,
    with the binder-free carbon-network conductivity as ``bulk_conductivity``, b = 0 and
    ``network="electronic"``, for electrons (s_solv, the SE's loss to the process
    solvent, applies to the SE network only).
    """
    if not 0 < volume_fraction <= 1:
        raise ValueError(f"volume fraction={volume_fraction} is outside (0, 1]")
    if not 0 < solvent_conductance_fraction <= 1:
        raise ValueError(f"SE solvent conductance fraction={solvent_conductance_fraction} is outside (0, 1]")
    if network == "electronic" and solvent_conductance_fraction != 1.0:
        raise ValueError("the SE solvent conductance fraction applies to the ionic network only")
    return (
        bulk_conductivity
        * volume_fraction**bruggeman_exponent
        * neck_blocking_factor(binder_content_wt_pct, process, network=network)
        * solvent_conductance_fraction
    )
