"""Virtual measurements at the papers' cells (GITT, DC-IR, blocking cells, EIS), with their figures.

* GITT (Jo 2024 cathode, NBR 0.5 ... 2.5 wt%): Weppner-Huggins areas vs the coverage law,
  DFN with mechanics (the default) and SPMe without;
* DC-IR (Jo 2024 cathode, 10 s pulses at 0.025 ... 1C) vs NBR content;
* blocking cells (Emley 2023, wet / dry / binder-free, 21 MPa, 30 C) vs the calibrated and
  measured conductivities;
* EIS (Kwon 2022, pristine BR) at 2 and 70 MPa, SOC 0.5 and 0.9.

Run: ``python scripts/characterise_report.py [--out results/characterise]``; writes
``characterise.json`` and PNG figures there (the README's figures come from here).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from matplotlib.figure import Figure

from ssbsim.simulator import characterise as ch
from ssbsim.simulator import characterise_cells as cc
from ssbsim.simulator.characterise_figures import draw

BINDER_CONTENTS = (0.5, 1.0, 1.5, 2.0, 2.5)
EMLEY_MEASURED_S_CM = {"wet": (3.3e-6, 3.0e-3), "dry": (6.9e-5, 4.6e-2), "none": (1.7e-4, None)}


def main(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    report, t0 = {}, time.perf_counter()
    g = ch.gitt_active_area("jo2024-cathode", BINDER_CONTENTS)
    draw(g, out / "gitt_active_area.png")
    report["gitt_dfn_mechanics"] = g["rows"]
    report["gitt_spme_no_mechanics"] = ch.gitt_active_area("jo2024-cathode", BINDER_CONTENTS, model="SPMe",
                                                           mechanics=False)["rows"]
    report["dcir"] = {}
    for w in BINDER_CONTENTS:
        r = ch.dcir("jo2024-cathode", binder_content=w)
        report["dcir"][w] = {"resistance_Ohm": r["resistance_Ohm"], "pulses": r["pulses"]}
        if w in (0.5, 2.5):
            draw(r, out / f"dcir_{w:g}wt.png")
    report["blocking"] = {}
    for process, (ionic, electronic) in EMLEY_MEASURED_S_CM.items():
        r = cc.blocking("emley2023", process=process, pressure=21.0)
        report["blocking"][process] = {"ionic_S_cm": r["ionic_conductivity_S_cm"], "ionic_measured_S_cm": ionic,
                                       "electronic_S_cm": r["electronic_conductivity_S_cm"],
                                       "electronic_measured_S_cm": electronic}
    report["eis"], fig = {}, Figure(figsize=(5.5, 4.0), layout="constrained")
    ax = fig.add_subplot()
    for soc in (0.5, 0.9):
        for p in (2.0, 70.0):
            r = cc.eis("kwon2022", pressure=p, soc=soc)
            report["eis"][f"soc{soc:g}_{p:g}MPa"] = {k: r[k] for k in (
                "voltage_V", "high_frequency_resistance_Ohm", "interfacial_resistance_Ohm",
                "active_material_volume_fraction")}
            if soc == 0.9:
                ax.plot(r["Z_real_Ohm"], [-z for z in r["Z_imag_Ohm"]], "o-", ms=3,
                        label=f"{p:g} MPa: arc {r['interfacial_resistance_Ohm']:.0f} Ohm")
    ax.set(xlabel="Re Z [Ohm]", ylabel="-Im Z [Ohm]", title="kwon2022 (pristine BR), SOC 0.9, DFN + mechanics")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(fontsize=8)
    fig.savefig(out / "eis_2_vs_70MPa.png", dpi=150)
    report["wall_time_s"] = time.perf_counter() - t0
    (out / "characterise.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("results/characterise"))
    main(ap.parse_args().out)
