"""Which Gamma_chi do Jo 2024's porosity rows and Choi 2025's retention rows ask for?

The binder's void factor chi = exp(-Gamma / Gamma_chi) (``binder_mechanics``) scales void
nucleation and force-chain rearrangement. Taking the loss each row measures as
proportional to chi at equal depth of cycling, two rows of one paper whose binders have
fracture energies Gamma_a < Gamma_b ask for

    Gamma_chi = (Gamma_b - Gamma_a) / ln(loss_a / loss_b).

Gamma is the law's (``binder_laws.cohesive_fracture_energy``) for each cell's binder at its
content; the losses are the calibration rows: Jo's porosity growth in 150 cycles (15.0 /
11.2 / 9.0 % from 3.0 %) and Choi's 100-cycle retention (94 / 91 / 89 %). For Choi the
model's other fade dilutes chi's ratio: the script also prints the chi ratio that the
package's fitted Gamma_chi gives, next to the loss ratio the model returns for it
(``ssbsim validate``: 6.0 / 7.8 / 8.5 % with the particle ensemble across the layer).

    python scripts/void_factor_tension.py [path/to/calibration_points.csv]

Outcome (docs/physics.md, Known limits): Jo's rows ask for ~67 J/m2, Choi's for ~200-230,
at equal depth of cycling. The depth is not equal (the wet cathodes' 0.5C depth falls with
content, and at 2.5 wt% it is concentrated near the separator): a fit on Jo's porosity
alone gave 140.8 J/m2 with the size classes alone and 288.8 with the particle ensemble
across the layer, which Jo's rows then hardly identify. The joint fit on both papers'
cycle-life rows (scripts/calibrate_cycle_life.py) gives 157.7 J/m2.
"""

import math
import sys
from pathlib import Path

from calibrate_binder_laws import rows  # the calibration CSV's rows of one source and quantity (scripts/)
from ssbsim.models import binder_laws
from ssbsim.simulator.presets import get_preset
from ssbsim.simulator.simulation import parameter_values, resolve_conditions

DEFAULT_CSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "calibration_points.csv"


def fracture_energy(preset: str, **conditions) -> tuple[float, float, float]:
    """(Gamma [J/m2], chi [-], Gamma_chi [J/m2]) of the preset cell's binder."""
    pv = parameter_values(resolve_conditions(preset, **conditions))
    v = binder_laws.electrode_values(pv, "positive")
    return (v["cohesive fracture energy [J.m-2]"], v["void nucleation factor"],
            pv["Binder void nucleation fracture energy scale [J.m-2]"])


def asked_scale(gamma_lo, loss_lo, gamma_hi, loss_hi) -> float:
    """Gamma_chi [J/m2] at which chi's ratio equals the ratio of the losses."""
    return (gamma_hi - gamma_lo) / math.log(loss_lo / loss_hi)


def main(path=DEFAULT_CSV):
    pristine = float(next(r["value"] for r in rows(path, "Jo2024", "porosity") if r["cycle"] == "0"))
    jo = {float(r["binder_wt_pct"]): float(r["value"]) - pristine
          for r in rows(path, "Jo2024", "porosity") if r["cycle"] == "150"}
    lo, hi = min(jo), max(jo)
    g_lo, _, fitted = fracture_energy("jo2024-cathode", binder_content=lo)
    g_hi, _, _ = fracture_energy("jo2024-cathode", binder_content=hi)
    print(f"fitted Gamma_chi: {fitted:.1f} J/m2")
    print(f"Jo 2024: porosity growth {jo[lo]:.1f} / {jo[hi]:.1f} points at {lo:g} / {hi:g} wt% "
          f"(Gamma {g_lo:.1f} / {g_hi:.1f} J/m2): Gamma_chi = {asked_scale(g_lo, jo[lo], g_hi, jo[hi]):.0f} J/m2")
    aliases = get_preset("choi2025").binder_aliases  # the data's binder names -> the preset's
    choi = {aliases[r["binder"]]: 100.0 - float(r["value"]) for r in rows(path, "Choi2025", "capacity_retention")}
    energies = {b: fracture_energy("choi2025", binder=b) for b in choi}
    strong = max(energies, key=lambda b: energies[b][0])
    for b in sorted(choi, key=lambda b: -energies[b][0]):
        if b == strong:
            continue
        g_s, chi_s, _ = energies[strong]
        g_b, chi_b, _ = energies[b]
        print(f"Choi 2025: loss {choi[strong]:.0f} / {choi[b]:.0f} % ({strong} / {b}, Gamma {g_s:.1f} / {g_b:.1f} "
              f"J/m2): Gamma_chi = {asked_scale(g_b, choi[b], g_s, choi[strong]):.0f} J/m2 undiluted; "
              f"the fitted one's chi ratio is {chi_b / chi_s:.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
