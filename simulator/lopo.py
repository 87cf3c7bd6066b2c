"""Leave one paper out: which fitted constants a paper's rows need, and what is left of
the prediction when that paper is not used to fit them.

Every ``fitted`` constant of :mod:`ssbsim.parameter_sets.provenance` names the
catalogue rows it was fitted on; each row belongs to one paper
(``parameter_sets/experiments/<paper>.toml``). For a held-out paper P, a fitted
constant (grouped with the others that share its source) is

* ``not_identifiable``: fitted only on P's rows. Without P there is nothing to fit it
  on, so P's rows that depend on it cannot be predicted from the other papers; the
  check keeps its fitted value, i.e. P still informs P's rows through it;
* ``refittable``: fitted on rows of P and of other papers. It is refitted on the other
  papers' rows alone and P's rows of the same kind (same preset, same derived quantity
  as its fit rows) are predicted with the refitted value, next to the all-paper value;
* ``unchanged``: fitted only on other papers' rows; P's rows are predictions for it.

Refits exist for the constants in :data:`REFITS` (a module with ``fit(rows, model=,
log=)``, ``capacities(value, rows, model)``, ``LOG10_BOUNDS`` and ``TOL``); a
refittable constant without one is reported as such. :func:`leave_one_paper_out` runs
the check, :func:`write` puts ``lopo.json`` and ``lopo.md`` in a folder.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from . import fit_ncm_scale

CLASSES = ("not_identifiable", "refittable", "unchanged")
#: Fitted constant -> the module that refits it on a subset of its rows.
REFITS = {fit_ncm_scale.CONSTANT: fit_ncm_scale}


def row_papers() -> dict[str, str]:
    """Catalogue row id (measurements and measured inputs) -> its paper."""
    from ssbsim.parameter_sets import experiments

    out = {}
    for paper in experiments.PAPERS:
        doc = experiments.load(paper)
        for item in doc.get("experiments", []) + doc.get("inputs", []):
            out[item["id"]] = paper
    return out


def fitted_groups(registry=None) -> list[dict]:
    """The fitted constants, one group per source: constant names and fit rows."""
    from ssbsim.parameter_sets.provenance import REGISTRY

    groups: dict = {}
    for c in (REGISTRY if registry is None else registry).values():
        if c.source.kind == "fitted":
            groups.setdefault(c.source, []).append(c.name)
    return [{"constants": names, "rows": list(src.rows), "ref": src.ref} for src, names in groups.items()]


def classify(registry=None, papers=None) -> dict[str, dict[str, list[dict]]]:
    """For each paper, the fitted-constant groups in each of :data:`CLASSES`; each group
    also lists the paper's own fit rows and the other papers' fit rows."""
    from ssbsim.parameter_sets.experiments import PAPERS

    where = row_papers()
    groups = fitted_groups(registry)
    unknown = sorted({r for g in groups for r in g["rows"] if r not in where})
    if unknown:
        raise KeyError(f"fitted on rows that are not in the catalogue: {unknown}")
    out = {}
    for paper in PAPERS if papers is None else papers:
        table = {k: [] for k in CLASSES}
        for g in groups:
            own = [r for r in g["rows"] if where[r] == paper]
            others = [r for r in g["rows"] if where[r] != paper]
            cls = "unchanged" if not own else "refittable" if others else "not_identifiable"
            table[cls].append(g | {"rows_of_paper": own, "rows_without_paper": others})
        out[paper] = table
    return out


def predicted_rows(fit_rows, paper: str) -> list[str]:
    """The paper's catalogue rows of the same kind as ``fit_rows``: same preset and
    same derived quantity (e.g. Kwon's four first discharges for NCM's scale)."""
    from .catalogue import load_catalogue

    entries = load_catalogue()
    by_id = {e.id: e for e in entries}
    kinds = [(by_id[r].preset, by_id[r].derive) for r in fit_rows]
    return [e.id for e in entries if e.paper == paper and not e.unsupported and (e.preset, e.derive) in kinds]


def refit(constant: str, paper: str, group: dict, model: str = "DFN", log=None) -> dict:
    """Refit ``constant`` on ``group``'s rows without ``paper`` and predict the paper's
    rows of the same kind with the all-paper and the refitted value."""
    from ssbsim.parameter_sets.provenance import value

    from .catalogue import load_catalogue

    mod = REFITS[constant]
    fit_rows = group["rows_without_paper"]
    v_all = value(constant)
    v_lopo = mod.fit(fit_rows, model=model, log=log)
    lo, hi = mod.LOG10_BOUNDS
    at_bound = min(abs(math.log10(v_lopo) - lo), abs(math.log10(v_lopo) - hi)) <= mod.TOL
    rows = predicted_rows(group["rows"], paper)
    by_id = {e.id: e for e in load_catalogue()}
    in_sample = mod.capacities(v_lopo, fit_rows, model)
    at_all, at_lopo = mod.capacities(v_all, rows, model), mod.capacities(v_lopo, rows, model)
    return {
        "constant": constant, "held_out": paper, "model": model, "fit_rows": fit_rows,
        "all_paper_fit_rows": group["rows"], "all_paper_value": v_all, "lopo_value": v_lopo,
        "lopo_value_at_search_bound": at_bound,
        "fit_rows_model": [{"row": r, "measured": by_id[r].measured, "lopo": in_sample[r]} for r in fit_rows],
        "predictions": [{"row": r, "measured": by_id[r].measured, "unit": by_id[r].unit,
                         "fitted_on_it": r in group["rows"], "all_paper": at_all[r], "lopo": at_lopo[r]}
                        for r in rows],
    }


def leave_one_paper_out(papers=None, model: str = "DFN", refits: bool = True, log=None) -> dict:
    """The classification of every fitted constant per held-out paper and, with
    ``refits``, the refit and predictions of each refittable constant of :data:`REFITS`."""
    classes = classify(papers=papers)
    done, missing = [], []
    for paper, table in classes.items():
        for g in table["refittable"]:
            for c in g["constants"]:
                if c not in REFITS:
                    missing.append({"constant": c, "held_out": paper})
                elif refits:
                    done.append(refit(c, paper, g, model=model, log=log))
    from .catalogue import load_catalogue

    counts = {paper: len(load_catalogue([paper])) for paper in classes}
    return {"classes": classes, "catalogue_rows": counts, "refits": done, "refittable_without_refit": missing}


def _short(name: str) -> str:
    return name.removeprefix("parameter_sets.").removeprefix("models.")


def _f(x) -> str:
    return "-" if x is None else f"{x:.4g}"


def markdown(result: dict) -> list[str]:
    """The result as markdown: one table of classes per paper, one of refit predictions."""
    md = ["What it shows: for each held-out paper P, which fitted constants would have nothing to be "
          "fitted on without P's rows (**not identifiable without P**: fitted only on P's rows), which "
          "are fitted on P's and other papers' rows (**refittable**: refitted below on the other papers' "
          "rows alone, and P's rows of the same kind predicted with the refitted value), and which saw "
          "no row of P (**unchanged**).", "",
          "What it cannot show: a prediction of P from the other papers. The constants not identifiable "
          "without P keep the values fitted on P, so P's rows that depend on them (most of each paper's "
          "simulated rows: its contact, porosity, coverage, conductivity and anode constants are fitted "
          "on that paper alone) are still informed by P. Only the refittable constants are tested out of "
          "paper, and only on P's rows of the kind they were fitted on.", ""]
    label = {"not_identifiable": "not identifiable without P", "refittable": "refittable"}
    md += ["| held-out paper P | catalogue rows of P | P's rows a constant was fitted on | not identifiable "
           "without P | refittable | unchanged |", "|---|---|---|---|---|---|"]
    for paper, table in result["classes"].items():
        n = {cls: sum(len(g["constants"]) for g in table[cls]) for cls in CLASSES}
        own = sorted({r for cls in CLASSES[:2] for g in table[cls] for r in g["rows_of_paper"]})
        md.append(f"| {paper} | {result['catalogue_rows'][paper]} | {len(own)} | {n['not_identifiable']} "
                  f"| {n['refittable']} | {n['unchanged']} |")
    md.append("")
    for paper, table in result["classes"].items():
        md += [f"### {paper}", "", "| class | constants | fitted on P's rows | fitted on other rows |",
               "|---|---|---|---|"]
        for cls in CLASSES[:2]:
            for g in table[cls]:
                md.append(f"| {label[cls]} | {', '.join(f'`{_short(c)}`' for c in g['constants'])} "
                          f"| {', '.join(g['rows_of_paper'])} | {', '.join(g['rows_without_paper']) or '-'} |")
        unchanged = [_short(c) for g in table["unchanged"] for c in g["constants"]]
        md += [f"| unchanged | {', '.join(f'`{c}`' for c in unchanged) or '-'} | - | other papers' rows |", ""]
    if result["refits"]:
        md += ["### Refits without the held-out paper", "",
               "| held out | constant | refitted on | all-paper value | LOPO value | row | measured | "
               "model, all-paper | model, LOPO |", "|---|---|---|---|---|---|---|---|---|"]
        for r in result["refits"]:
            value = _f(r["lopo_value"]) + (" (search bound)" if r["lopo_value_at_search_bound"] else "")
            for p in r["predictions"]:
                row = p["row"] + (" (fit row of the all-paper value)" if p["fitted_on_it"] else "")
                md.append(f"| {r['held_out']} | `{_short(r['constant'])}` | {', '.join(r['fit_rows'])} "
                          f"| {_f(r['all_paper_value'])} | {value} | {row} | {_f(p['measured'])} {p['unit']} "
                          f"| {_f(p['all_paper'])} | {_f(p['lopo'])} |")
        md.append("")
    for m in result["refittable_without_refit"]:
        md.append(f"- `{_short(m['constant'])}` is refittable without {m['held_out']} but has no refit here.")
    return md


def write(result: dict, out) -> list[Path]:
    """``lopo.json`` and ``lopo.md`` in the folder ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "lopo.json").write_text(json.dumps(result, indent=2, allow_nan=False))
    (out / "lopo.md").write_text("\n".join(["# Leave one paper out", "", *markdown(result)]) + "\n")
    return [out / "lopo.json", out / "lopo.md"]
