"""Figures of the virtual measurements (``ssbsim characterise ... --figure FILE``):
GITT areas vs binder content, DC-IR voltage drop vs current, EIS Nyquist plot."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .errors import InputError
from .files import check_writable


def draw(result: dict, path) -> None:
    """Draw ``result`` (a dict from :mod:`characterise` / :mod:`characterise_cells`) to ``path``."""
    kind = result["measurement"]
    if kind not in _DRAW:
        raise InputError(f"no figure for measurement {kind!r}; figures exist for {', '.join(_DRAW)}")
    check_writable(path, "--figure")
    fig = Figure(figsize=(5.0, 3.8), layout="constrained")
    ax = fig.add_subplot()
    _DRAW[kind](ax, result)
    c = result["conditions"]
    ax.set_title(f"{c['preset']}, {c['binder']} {c['process']}, {c['pressure_MPa']:g} MPa, {c['model']}",
                 fontsize=9)
    fig.savefig(path, dpi=150)


def _gitt(ax, r):
    w = [x["binder_content_wt_pct"] for x in r["rows"]]
    ax.plot(w, [x["relative_active_area_law"] for x in r["rows"]], "k-", label="coverage law")
    ax.plot(w, [x["relative_active_area_gitt"] for x in r["rows"]], "o", label="virtual GITT (Weppner-Huggins)")
    ax.set_xlabel("binder content [wt%]")
    ax.set_ylabel(f"active area relative to {r['reference_wt_pct']:g} wt%")
    ax.legend(fontsize=8)


def _dcir(ax, r):
    i = np.array([p["current_A"] for p in r["pulses"]]) * 1e3
    dv = np.array([p["delta_V"] for p in r["pulses"]]) * 1e3
    ax.plot(i, dv, "o")
    ax.plot(i, (r["resistance_Ohm"] * i * 1e-3 + r["intercept_V"]) * 1e3, "k-",
            label=f"R = {r['resistance_Ohm']:.4g} Ohm")
    ax.set_xlabel(f"pulse current [mA] ({r['pulse_s']:g} s)")
    ax.set_ylabel("voltage change [mV]")
    ax.legend(fontsize=8)


def _eis(ax, r):
    ax.plot(r["Z_real_Ohm"], -np.asarray(r["Z_imag_Ohm"]), "o-", ms=3,
            label=f"SOC {r['soc']:g}, arc {r['interfacial_resistance_Ohm']:.4g} Ohm")
    ax.set_xlabel("Re Z [Ohm]")
    ax.set_ylabel("-Im Z [Ohm]")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(fontsize=8)


_DRAW = {"GITT active area": _gitt, "DC-IR": _dcir, "EIS": _eis}
