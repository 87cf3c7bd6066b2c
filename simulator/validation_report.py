"""The validation report: a terminal table, ``validation.md``/``.json`` and one figure per
experiment (model against the measured points; capacity vs pressure on a log axis)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .errors import InputError
from .figures import measured_style
from .results import cell_half_cycle
from .sweep import case_name


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    return f"{x:.3g}" if abs(x) < 1e-2 or abs(x) >= 1e4 else f"{x:.4g}"


def _conditions_text(c: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in c.items() if k != "preset")


def table_lines(rows: list[dict]) -> list[str]:
    """Markdown table rows (also readable on a terminal)."""
    lines = ["| id | role | measured | model | unit | tolerance | within | note |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ok = {True: "yes", False: "NO", None: "-"}[r["within_tolerance"]]
        lines.append(f"| {r['id']} | {r['role']} | {_fmt(r['measured'])} | {_fmt(r['model'])} | {r['unit']} "
                     f"| {r['tolerance']} | {ok} | {r['note']} |")
    return lines


def write_report(rep, entries, results, series, out: Path) -> list[Path]:
    """``validation.md``, ``validation.json`` and ``figures/<experiment>.png`` in ``out``
    (and ``lopo.json`` / ``lopo.md`` when the report holds the leave-one-paper-out check)."""
    from .validate import score_line

    out.mkdir(parents=True, exist_ok=True)
    (out / "validation.json").write_text(json.dumps(rep.to_dict(), indent=2, allow_nan=False))
    model = rep.rows[0]["model_name"] if rep.rows else "DFN"
    figures = _figures(rep.rows, entries, results, series, out / "figures", model)
    md = ["# ssbsim validation", "",
          "Every catalogued measurement (`parameter_sets/experiments/*.toml`) simulated with the "
          "paper's cell and protocol. `calibration`: a constant of the model was fitted on this row "
          "(`ssbsim.parameter_sets.provenance`), so agreement there is not a prediction; "
          "`validation`: no constant saw it.", "",
          f"Model: {model}. " + score_line(rep.score), "",
          *table_lines(rep.rows), ""]
    lopo_files = []
    if rep.lopo is not None:
        from .lopo import markdown, write

        lopo_files = write(rep.lopo, out)
        md += ["## Leave one paper out", "", *markdown(rep.lopo), ""]
    md += ["## Conditions", ""]
    md += [f"- `{r['id']}` ({r['source']}, {r['quantity']}): {_conditions_text(r['conditions'])}" for r in rep.rows]
    md += ["", "## Figures", ""] + [f"![{p.stem}](figures/{p.name})" for p in figures]
    (out / "validation.md").write_text("\n".join(md) + "\n")
    return [out / "validation.md", out / "validation.json", *lopo_files, *figures]


def _figures(rows, entries, results, series, folder: Path, model: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    by_row = {r["id"]: r for r in rows}
    groups: dict[tuple, list] = {}
    for e in entries:
        groups.setdefault((e.source, e.quantity, e.preset), []).append(e)
    paths = []
    for (source, quantity, preset), group in groups.items():
        fig, ax = plt.subplots(figsize=(6, 4))
        roles = {e.id: by_row[e.id]["role"] for e in group}
        curve_drawn = (_pressure_curves(ax, group, results, model, roles)
                       or _cycle_curves(ax, group, series, model, roles)
                       or _plateau_curves(ax, group, series, model, roles))
        if not curve_drawn:
            x = np.arange(len(group))
            for role in sorted(set(roles.values())):
                at = [i for i, e in enumerate(group) if roles[e.id] == role]
                ax.scatter(x[at], [group[i].measured for i in at], s=60, zorder=3,
                           label=f"measured, {role} rows", **measured_style(role, "k"))
            for e, xi in zip(group, x):
                if e.range:
                    ax.vlines(xi, *e.range, color="k")
            values = [by_row[e.id]["model"] for e in group]
            ax.scatter(x, [np.nan if m is None else m for m in values], marker="s", s=18, color="C3",
                       label="model", zorder=4)
            ax.set_xticks(x, [e.id.split("-", 1)[1] for e in group], rotation=30, ha="right", fontsize=7)
        if not ax.get_ylabel():
            ax.set_ylabel(f"{quantity} [{group[0].unit}]")
        ax.set_title(f"{source}, {preset}: {quantity} ({'/'.join(sorted(set(roles.values())))})\n"
                     "hollow: a measured row a constant was fitted on", fontsize=9)
        ax.legend(fontsize=7)
        fig.tight_layout()
        path = folder / f"{preset}-{quantity}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def _cycle_curves(ax, group, series, model, roles) -> bool:
    """Retention vs cycle number, one model curve per entry (its capacity over the mean
    of its reference cycles), the measured value at the cycles it describes."""
    from .simulation import resolve_conditions
    from .validate import absolute_cycles

    drawn = False
    for k, e in enumerate(g for g in group if g.derive.get("kind") == "retention"):
        base = dict(preset=e.preset, **e.conditions) | ({"protocol": e.protocol} if e.protocol else {})
        cond = resolve_conditions(**(base | {"model": model}))
        s = series.get(case_name(cond))
        if s is None:
            continue
        q = np.asarray(s[f"cycle_{cell_half_cycle(e.derive['half'])}_capacity_mAh_g"])
        ref = absolute_cycles(e.derive["reference_cycles"], cond.cycles)
        if max(ref) > len(q):
            continue
        n = np.arange(1, len(q) + 1)
        label = e.conditions.get("binder", e.id)
        ax.plot(n, 100 * q / q[np.array(ref) - 1].mean(), "-", color=f"C{k}", lw=1, label=f"model, {label}")
        at = absolute_cycles(e.derive["cycles"], cond.cycles)
        ax.scatter([np.mean(at)], [e.measured], s=60, zorder=3, label=f"measured ({roles[e.id]} row), {label}",
                   **measured_style(roles[e.id], f"C{k}"))
        drawn = True
    if drawn:
        ax.set_xlabel("cycle")
    return drawn


def _pressure_curves(ax, group, results, model, roles) -> bool:
    """Capacity vs stack pressure on a log axis, one model curve per binder, where the
    entries carry extra pressures (``curve``) and their cases have results."""
    from .simulation import resolve_conditions

    drawn = False
    binders = sorted({e.conditions.get("binder", "") for e in group})
    for e in (g for g in group if g.curve.get("pressure_MPa")):
        base = dict(preset=e.preset, **e.conditions) | ({"protocol": e.protocol} if e.protocol else {})
        pts = []
        for p in sorted(set(e.curve["pressure_MPa"])):
            cond = resolve_conditions(**(base | {"pressure": p, "model": model}))
            r = results.get(case_name(cond))
            if r and r.get("status") == "ok" and e.derive["kind"] == "capacity":
                pts.append((p, r.get(f"{cell_half_cycle(e.derive['half'])}_capacity_mAh_g")))
        if pts:
            binder = e.conditions.get("binder", "")
            ax.plot(*zip(*pts), "-", color=f"C{binders.index(binder)}", label=f"model, {binder}")
            drawn = True
    if drawn:
        labelled = set()
        for e in group:
            binder, role = e.conditions.get("binder", ""), roles[e.id]
            ax.scatter([max(e.conditions.get("pressure", 1.0), 0.5)], [e.measured], marker="o", s=50, zorder=3,
                       label=None if (binder, role) in labelled else f"measured ({role} row), {binder}",
                       **measured_style(role, f"C{binders.index(binder)}"))
            labelled.add((binder, role))
        ax.set_xscale("log")
        ax.set_xlabel("stack pressure [MPa]")
    return drawn


def _plateau_curves(ax, group, series, model, roles) -> bool:
    """The half-cycle each plateau-split entry splits, voltage vs capacity given, one
    curve per entry; on it the model's dQ/dV valley (square) and where the measured split
    would sit (circle): the capacity given by then is the curve's total less the measured
    part above (or the measured part below)."""
    from .plateau_split import derived_split
    from .simulation import resolve_conditions

    drawn = False
    for k, e in enumerate(g for g in group if g.derive.get("kind") == "plateau_split"):
        base = dict(preset=e.preset, **e.conditions) | ({"protocol": e.protocol} if e.protocol else {})
        s = series.get(case_name(resolve_conditions(**(base | {"model": model}))))
        if s is None:
            continue
        try:
            v, q, split = derived_split(s, e.derive)
        except InputError:
            continue
        label = e.conditions.get("binder", e.id)
        ax.plot(q, v, "-", color=f"C{k}", lw=1, label=f"model, {label}")
        ax.scatter([split.below], [split.boundary_V], marker="s", s=40, color=f"C{k}", zorder=4)
        at = q[-1] - e.measured if e.derive["part"] == "above" else e.measured
        ax.scatter([at], [np.interp(at, q, v)], s=60, zorder=3, label=f"measured split ({roles[e.id]} row), {label}",
                   **measured_style(roles[e.id], f"C{k}"))
        drawn = True
    if drawn:
        ax.set_xlabel(f"capacity given [{group[0].unit}] (square: the model's dQ/dV valley)")
        ax.set_ylabel("voltage vs Li/Li+ [V]")
        ax.set_ylim(0, 1.0)
    return drawn
