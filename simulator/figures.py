"""Paper-style figures of a stored sweep (the HDF5 file of :mod:`.store`).

:func:`plot_sweep` writes three kinds of figure, each as PNG and SVG:

- ``voltage_profiles``: the papers' first-cycle layout, one panel per binder with the
  first charge (thin) and discharge (thick), voltage (vs Li/Li+ in half cells) vs
  capacity, one colour and line style per stack pressure;
- ``capacity_vs_pressure``: first-cycle discharge capacity vs stack pressure on a log
  axis, one line style per binder, with the papers' measured points where the
  catalogue has the same cell;
- ``contact_and_pressure``: contact fraction (isolated fraction dashed) and stack-pressure
  change at fixed displacement vs time, per case; only if there are mechanics series.

Other conditions: one ``voltage_profiles_<values>`` figure per combination of preset,
model, C-rate, temperature, cycles and mechanics that occurs (named by the values that
vary); binder content and process, if they vary, join the panel titles. The other two
figures put them in the legend labels. Failed cases are skipped and named in a note
under each figure. Files are ``<figure>.<fmt>`` beside ``sweep.h5``, and
``<stem>.<figure>.<fmt>`` for other file names (as ``summary.csv``).

Drawn on :class:`matplotlib.figure.Figure` objects (Agg for PNG, SVG backend for SVG),
without pyplot: the user's interactive backend and open figures are never touched.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from .store import open_results

FIGURE_KEYS = ("preset", "model", "c_rate", "temperature_C", "cycles", "mechanics")
_LINESTYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "D", "v")
#: First charge thin, first discharge thick: the two half-cycles are told apart at a glance.
_HALF_STYLE = {"charge": {"lw": 0.9, "alpha": 0.8}, "discharge": {"lw": 1.8}}
PANEL_KEYS = ("binder", "process", "binder_content_wt_pct")
_UNITS = {"c_rate": "C", "temperature_C": " °C", "binder_content_wt_pct": " wt%",
          "pressure_MPa": " MPa", "cycles": " cycles"}


def plot_sweep(path, out_dir=None, formats=("png", "svg")) -> list[Path]:
    """Draw the figures of a stored sweep.

    Parameters
    ----------
    path : str or Path
        Sweep file written by ssbsim (:class:`.store.SweepStore`).
    out_dir : str or Path, optional
        Folder of the figures; default: the folder of ``path``.
    formats : sequence of str
        File formats, each figure is written once per format.

    Returns
    -------
    list of Path
        The files written, in order.

    Raises
    ------
    StoreError
        If ``path`` does not exist, is not HDF5, or is not an ssbsim sweep.
    """
    path = Path(path)
    store = open_results(path)
    cases = store.read()
    ok = [c for c in cases if c.get("status") == "ok"]
    failed = [c["name"] for c in cases if c.get("status") != "ok"]
    series = {c["name"]: store.series(c["name"]) for c in ok}
    keys = (_varying(ok, FIGURE_KEYS), ("binder", *_varying(ok, PANEL_KEYS[1:])))
    figures = (_voltage_profiles(ok, series, *keys) + _capacity_vs_pressure(ok, *keys)
               + _contact_and_pressure(ok, series, *keys))
    out_dir = Path(out_dir) if out_dir is not None else path.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = "" if path.name == "sweep.h5" else f"{path.stem}."
    note = f"Failed cases, not shown: {', '.join(failed[:8])}" + (
        f" and {len(failed) - 8} more" if len(failed) > 8 else "")
    for stem, fig in figures:
        if failed:  # below the axes; bbox_inches="tight" extends the page to include it
            fig.text(0.0, -0.02, note, fontsize=7, color="0.35", ha="left", va="top")
        for fmt in formats:
            fig.savefig(out_dir / f"{prefix}{stem}.{fmt}", dpi=200, bbox_inches="tight")
    return [out_dir / f"{prefix}{stem}.{fmt}" for stem, _ in figures for fmt in formats]


def first_cycle(s: dict, case: dict) -> dict:
    """First charge and first discharge of a case, as capacity [mAh/g] and voltage [V].

    A half-cycle is the first run of points with charging (current < 0, PyBaMM sign) or
    discharging (current > 0) current; rests (zero current) end a run only when the sign
    changes, and a CC step and its CV hold form one run. The capacity axis is, in order
    of preference:

    1. the stored ``capacity_mAh_g`` counter (PyBaMM's signed discharge capacity, or a
       cumulative one) from the start of the half-cycle, made positive, if it is finite
       and monotonic there and ends within 2 % of the case's ``<half>_capacity_mAh_g``;
    2. otherwise the charge passed, ``integral |current| dt``, divided by the case's
       ``active_mass_g`` if stored;
    3. otherwise that charge times one factor per case (the unknown active mass), fixed
       so that the discharge ends at the case's ``discharge_capacity_mAh_g`` (or, with no
       discharge, the charge at ``charge_capacity_mAh_g``).

    Parameters
    ----------
    s : dict of ndarray
        The case's series (``time_s``, ``current_A``, ``voltage_V``, ...).
    case : dict
        The case's conditions and scalar results.

    Returns
    -------
    dict
        ``{"charge": (capacity, voltage), "discharge": (capacity, voltage)}``, only
        the half-cycles present; empty if there are no usable series.
    """
    if not {"time_s", "current_A", "voltage_V"} <= s.keys() or len(s["current_A"]) < 2:
        return {}
    t, i = s["time_s"], s["current_A"]
    sign = np.sign(i) * (np.abs(i) > 1e-9 * np.abs(i).max())
    nz = np.flatnonzero(sign)
    runs = {}
    for run in np.split(nz, np.flatnonzero(np.diff(sign[nz]) != 0) + 1):
        if len(run) > 1:
            half = "discharge" if sign[run[0]] > 0 else "charge"
            runs.setdefault(half, np.arange(run[0], run[-1] + 1))
    q_As = {k: np.concatenate([[0.0], np.cumsum(np.abs(i[r][1:] + i[r][:-1]) * np.diff(t[r]) / 2)])
            for k, r in runs.items()}
    out, factor = {}, None
    for k, r in runs.items():
        x, target, cap = None, _positive(case, f"{k}_capacity_mAh_g"), s.get("capacity_mAh_g")
        if cap is not None and len(cap) == len(t):
            x = (cap[r] - cap[r[0]]) * (1 if cap[r[-1]] >= cap[r[0]] else -1)
            bad = not np.all(np.isfinite(x)) or np.any(np.diff(x) < -1e-9 * max(abs(x[-1]), 1.0))
            if bad or (target and abs(x[-1] - target) > 0.02 * target):
                x = None
        if x is None and _positive(case, "active_mass_g"):
            x = q_As[k] / 3.6 / case["active_mass_g"]
        if x is None:
            if factor is None:
                ref = next((h for h in ("discharge", "charge") if h in runs
                            and _positive(case, f"{h}_capacity_mAh_g") and q_As[h][-1] > 0), None)
                if ref is None:
                    continue
                factor = case[f"{ref}_capacity_mAh_g"] / q_As[ref][-1]
            x = q_As[k] * factor
        out[k] = (x, s["voltage_V"][r])
    return out


def _voltage_profiles(ok, series, fig_keys, panel_keys):
    pressures = sorted({c["pressure_MPa"] for c in ok})
    colour = dict(zip(pressures, _palette(len(pressures))))
    style = {p: _LINESTYLES[k % len(_LINESTYLES)] for k, p in enumerate(pressures)}
    figures = []
    for fkey, members in _group(ok, fig_keys).items():
        panels = _group(members, panel_keys)
        fig = Figure(figsize=(3.3 * len(panels) + 0.6, 3.4), layout="constrained")
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        for ax, (pkey, cs) in zip(axes, panels.items()):
            for c in sorted(cs, key=lambda c: c["pressure_MPa"]):
                label = _fmt("pressure_MPa", c["pressure_MPa"])
                for half, (x, v) in first_cycle(series[c["name"]], c).items():
                    ax.plot(x, v, color=colour[c["pressure_MPa"]], ls=style[c["pressure_MPa"]],
                            **_HALF_STYLE[half], label=label)
                    label = None
            extra = _label(pkey[1:], panel_keys[1:])
            ax.set_title(f"{pkey[0]} ({extra})" if extra else str(pkey[0]))
            ax.set_xlabel("Capacity [mAh/g]")
            ax.set_xlim(left=0)
            if ax.lines:
                handles, labels = ax.get_legend_handles_labels()
                for half, kw in _HALF_STYLE.items():  # what thin and thick mean
                    handles.append(Line2D([], [], color="0.3", **kw))
                    labels.append(half)
                ax.legend(handles, labels, fontsize=8, frameon=False)
        axes[0].set_ylabel(f"Voltage {_reference(members)}[V]")
        shown = ("preset", "c_rate", "temperature_C")
        shown += tuple(k for k in fig_keys if k not in shown)
        fig.suptitle(_label([members[0].get(k) for k in shown], shown) + " - first cycle", fontsize=10)
        slug = re.sub(r"[^A-Za-z0-9.+-]+", "_", _label(fkey, fig_keys)).strip("_")
        figures.append(("voltage_profiles" + (f"_{slug}" if slug else ""), fig))
    return figures


def _capacity_vs_pressure(ok, fig_keys, panel_keys):
    """Discharge capacity vs stack pressure on a log axis (symlog if 0 MPa is swept),
    one line style per group, and the papers' measured points where the catalogue has
    the same cell (:mod:`.catalogue`)."""
    if not ok:
        return []
    fig = Figure(figsize=(4.8, 3.6), layout="constrained")
    ax = fig.add_subplot()
    measured_drawn = False
    for k, (key, cs) in enumerate(_group(ok, (*fig_keys, *panel_keys)).items()):
        pts = sorted((c["pressure_MPa"], c.get("discharge_capacity_mAh_g", np.nan)) for c in cs)
        p, q = np.array(pts, dtype=float).T
        colour = _palette(10)[k % 10]
        ax.plot(p, q, ls=_LINESTYLES[k % len(_LINESTYLES)], marker=_MARKERS[k % len(_MARKERS)], ms=5,
                color=colour, label="model: " + _label(key, (*fig_keys, *panel_keys)))
        for role, data in _measured_first_discharge(cs[0]).items():
            ax.scatter(*zip(*data), s=60, zorder=3, label=f"measured, {role} row: {cs[0]['binder']}",
                       **measured_style(role, colour))
            measured_drawn = True
    pressures = sorted({c["pressure_MPa"] for c in ok})
    if pressures[0] > 0:
        ax.set_xscale("log")
    else:
        ax.set_xscale("symlog", linthresh=1.0)
    ax.set_xticks(pressures, [f"{p:g}" for p in pressures])  # the swept pressures, plainly
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("Stack pressure [MPa]")
    ax.set_ylabel("Discharge capacity [mAh/g]")
    rates = {c.get("c_rate") for c in ok}
    title = ", ".join(sorted({str(c["preset"]) for c in ok}))
    if len(rates) == 1 and isinstance(next(iter(rates)), (int, float)):
        title += f", {next(iter(rates)):g}C"
    ax.set_title(title + (" (dots: measured; hollow: a constant was fitted on it)" if measured_drawn else ""),
                 fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    return [("capacity_vs_pressure", fig)]


def measured_style(role: str, colour) -> dict:
    """Scatter keywords of a measured point: filled for a validation row, hollow for a
    calibration row (a constant was fitted on it, so agreement there is no prediction)."""
    if role == "calibration":
        return {"facecolor": "none", "edgecolor": colour, "linewidths": 1.5}
    return {"color": colour, "edgecolor": "k"}


def _measured_first_discharge(case) -> dict[str, list[tuple[float, float]]]:
    """(pressure [MPa], capacity [mAh/g]) of the catalogue's first-cycle discharges of
    the case's preset and binder, measured with the preset's default protocol, by role:
    ``"calibration"`` (a constant of the model was fitted on the row,
    ``provenance.fitted_rows``) or ``"validation"``."""
    from ssbsim.parameter_sets.provenance import fitted_rows

    from .catalogue import load_catalogue
    from .presets import PRESETS

    p = PRESETS.get(case.get("preset"))
    if p is None or case.get("c_rate") != p.c_rate or case.get("temperature_C") != p.temperature_C:
        return {}
    fitted, out = fitted_rows(), {}
    for e in load_catalogue():
        if (e.preset == p.name and not e.protocol and "pressure" in e.conditions
                and e.conditions.get("binder") == case.get("binder")
                and e.derive.get("kind") == "capacity" and e.derive.get("half") == "discharge"
                and e.derive.get("cycle", 1) == 1 and "compare" not in e.derive):
            role = "calibration" if e.id in fitted else "validation"
            out.setdefault(role, []).append((e.conditions["pressure"], e.measured))
    return out


def _reference(cases) -> str:
    """'vs Li/Li+ ' for half cells, 'of the cell ' for full cells, '' if unknown."""
    from .presets import PRESETS

    cells = {PRESETS[c["preset"]].cell if c.get("preset") in PRESETS else None for c in cases}
    return {frozenset({"half"}): "vs Li/Li+ ", frozenset({"full"}): "of the cell "}.get(frozenset(cells), "")


def _contact_and_pressure(ok, series, fig_keys, panel_keys):
    cs = [c for c in ok if "contact_fraction" in series[c["name"]] and "time_s" in series[c["name"]]]
    if not cs:
        return []
    keys = (*fig_keys, *panel_keys, "pressure_MPa")
    cs.sort(key=lambda c: tuple(str(c.get(k)) for k in keys[:-1]) + (c["pressure_MPa"],))
    fig = Figure(figsize=(7.2, 5.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    for col, c in zip(_palette(len(cs)), cs):
        s, label = series[c["name"]], _label([c.get(k) for k in keys], keys)
        t_h = s["time_s"] / 3600
        top.plot(t_h, s["contact_fraction"], color=col, label=label)
        if "isolated_fraction" in s:
            top.plot(t_h, s["isolated_fraction"], color=col, ls="--")
        if "stack_pressure_change_MPa" in s:
            bottom.plot(t_h, s["stack_pressure_change_MPa"], color=col)
    top.set_ylabel("Fraction [-]")
    top.set_title("Contact fraction (solid), isolated fraction (dashed)", fontsize=9)
    bottom.set_ylabel("Stack pressure change [MPa]")
    bottom.set_title("At fixed displacement", fontsize=9)
    bottom.set_xlabel("Time [h]")
    bottom.axhline(0, color="0.6", lw=0.6)
    fig.legend(loc="outside right upper", fontsize=8, frameon=False)
    return [("contact_and_pressure", fig)]


def _positive(case, key):
    v = case.get(key)
    return v if isinstance(v, (int, float)) and v > 0 else None


def _varying(cases, keys):
    return tuple(k for k in keys if len({str(c.get(k)) for c in cases}) > 1)


def _group(cases, keys):
    groups = {}
    for c in cases:
        groups.setdefault(tuple(c.get(k) for k in keys), []).append(c)
    return groups


def _fmt(key, value):
    if value is None or value == "":
        return ""
    if key == "mechanics":
        return "mechanics" if value else "no mechanics"
    if isinstance(value, float):
        value = f"{value:g}"
    return f"{value}{_UNITS.get(key, '')}"


def _label(values, keys):
    return ", ".join(s for s in (_fmt(k, v) for k, v in zip(keys, values)) if s)


def _palette(n):
    """``n`` distinct colours: tab10, or viridis for more than ten."""
    return list(colormaps["tab10"].colors[:n] if n <= 10 else colormaps["viridis"](np.linspace(0, 0.9, n)))


def plot_cycle_life(result, path) -> Path:
    """Capacity retention and the contact state per cycle of one result: the working
    electrode's second half-cycle (discharge of cathodes, delithiation of anodes) over the
    first cycle's, cycles PyBaMM solved as markers (the fast path's skipped cycles on the
    line only); isolated active material (LAM) and porosity increase on the lower panel.
    The format follows ``path``'s suffix."""
    cycles = result.cycles
    n = np.arange(1, len(cycles) + 1)
    key = "charge_capacity_mAh_g" if result.working == "anode" else "discharge_capacity_mAh_g"
    q = np.array([float(getattr(c, key)) for c in cycles])
    solved = np.array([not c.interpolated for c in cycles])
    fig = Figure(figsize=(6, 5.5))
    top, bottom = fig.subplots(2, 1, sharex=True)
    top.plot(n, 100 * q / q[0], "-", color="C0", lw=1.2)
    top.plot(n[solved], 100 * q[solved] / q[0], "o", color="C0", ms=3,
             label=f"solved by PyBaMM ({result.cycle_path})")
    top.set_ylabel(f"{'delithiation' if result.working == 'anode' else 'discharge'} capacity / cycle 1 [%]")
    top.legend(fontsize=7)
    c = result.conditions
    top.set_title(f"{c.preset}, {c.binder}, {c.pressure_MPa:g} MPa, {c.model}", fontsize=9)
    lam = np.array([c.loss_of_active_material_pct for c in cycles])
    por = 100 * np.array([c.end_porosity_increase for c in cycles])
    bottom.plot(n, lam, "-", color="C3", label="isolated active material [%]")
    bottom.plot(n, por, "--", color="C2", label="porosity increase [points]")
    bottom.set_xlabel("cycle")
    bottom.set_ylabel("end of cycle [%]")
    bottom.legend(fontsize=7)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150)
    return path
