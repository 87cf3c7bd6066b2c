"""Could a binder traction from Choi 2025's measured strengths give the weaker binders' Si loss?

Choi's first cycle (0.15C, 60 C) depends on binder and pressure together: NBR from anisole
keeps an ICE of ~77 % at 16, 48 and 80 MPa, while at 48 MPa NBR from toluene or p-xylene
gives ~36-41 mAh/g less from the Si plateau (and "both binders" ~77 % at 80 MPa, the ICE
row's note). The model's first cycle depends on pressure only (its Si loses contact where
the SE's creep cannot close the Si's shrinkage gaps; the binders' wet layers differ by
< 2 mAh/g). This script runs the model's first cycle over a pressure grid, then asks which
effective pressure on the Si

    P_eff = f P + k sigma                              [MPa]

(f: the share of the stack pressure the Si feels; k sigma: a traction proportional to one
measured strength sigma of the binder: SAICAS cohesion, SAICAS adhesion or 180-degree peel,
``tests/data/calibration_points.csv``) would put every Choi first-cycle row of the
catalogue within its tolerance (delithiation, Si plateau part, ICE at 16 / 48 / 80 MPa),
plus the note's weaker binder at 80 MPa, reading each cell off the model's pressure curve
at its P_eff.

    python scripts/choi_si_binder_traction.py [path/to/calibration_points.csv]

Outcome (docs/physics.md, Known limits): with f = 1 (a traction added to the stack
pressure, as the binder's holding traction enters the contact law) no k works for any of
the three strengths: at 48 MPa the model's Si is already in full contact (Si plateau
209.7 mAh/g, the same at 80), a traction only adds closure, and the weaker binders need
the model's 20-24 MPa. Every row is within tolerance only where the Si feels a fraction
of the stack pressure: f 0.265-0.350 with k 0.094-0.142 MPa per N/m of peel strength,
the single point f = 0.145, k = 0.193 with the cohesion, nowhere with the SAICAS adhesion
(245 / 214 / 197 N/m are too close together). That is two constants for one mechanism,
fitted on the rows they would then claim to predict, and f would move the Si's contact
in every cycle of the fits of the cycle-life constants.
"""

import sys
from pathlib import Path

import numpy as np

from calibrate_binder_laws import rows  # the calibration CSV's rows of one source and quantity (scripts/)
from ssbsim.simulator.catalogue import load_catalogue
from ssbsim.simulator.plateau_split import first_delithiation_split
from ssbsim.simulator.results import cell_half_cycle
from ssbsim.simulator.simulation import simulate

DEFAULT_CSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "calibration_points.csv"
PRESSURES_MPA = (2.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0, 32.0, 40.0, 48.0, 64.0, 80.0)
BINDERS = {"anisole": "NBR in anisole", "toluene": "NBR in toluene", "xylene": "NBR in p-xylene"}
STRENGTHS = ("cohesion_strength", "adhesion_strength", "peel_strength")
DELITHIATION = f"{cell_half_cycle('delithiation')}_capacity_mAh_g"  # the cell's name of the half-cycle


def pressure_curves(binder: str = "nbr-anisole") -> dict:
    """The model's first cycle over PRESSURES_MPA: delithiation and its Si plateau part
    [mAh/g_AM], ICE [%]."""
    out = {"delithiation": [], "si_plateau": [], "ice": []}
    for p in PRESSURES_MPA:
        r = simulate("choi2025", binder=binder, pressure=p)
        out["delithiation"].append(getattr(r.cycles[0], DELITHIATION))
        out["si_plateau"].append(first_delithiation_split(r)["by_plateau"]["above_mAh_g"])
        out["ice"].append(100 * r.cycles[0].coulombic_efficiency)
        print(f"  {p:5.1f} MPa: delithiation {out['delithiation'][-1]:6.1f}, Si plateau "
              f"{out['si_plateau'][-1]:6.1f} mAh/g, ICE {out['ice'][-1]:5.2f} %", flush=True)
    return {k: np.asarray(v) for k, v in out.items()}


def checks():
    """(binder, stack pressure [MPa], curve, catalogue entry) of every first-cycle row,
    plus the note's weaker binder at 80 MPa (each weaker binder checked, with the 80 MPa
    ICE row's value and tolerance)."""
    cat = {e.id: e for e in load_catalogue(["choi2025"])}
    out = [(b, 48.0, "delithiation", cat[f"choi2025-q1-delith-{b}"]) for b in BINDERS]
    out += [(b, 48.0, "si_plateau", cat[f"choi2025-si-delith-{b}"]) for b in BINDERS]
    out += [("anisole", p, "ice", cat[i]) for p, i in ((48.0, "choi2025-ice-anisole"),
                                                         (16.0, "choi2025-ice-anisole-16MPa"),
                                                         (80.0, "choi2025-ice-anisole-80MPa"))]
    out += [(b, 80.0, "ice", cat["choi2025-ice-anisole-80MPa"]) for b in ("toluene", "xylene")]
    return out


def feasible(curves, strength: dict, f: float, k: float, rows_) -> bool:
    for binder, p, curve, entry in rows_:
        p_eff = f * p + k * strength[binder]
        if p_eff < PRESSURES_MPA[0] or not entry.within(float(np.interp(p_eff, PRESSURES_MPA, curves[curve]))):
            return False
    return True


def main(path=DEFAULT_CSV):
    print("model's first cycle, NBR in anisole (toluene at 16 / 48 / 80 MPa for comparison):")
    curves = pressure_curves()
    for p in (16.0, 48.0, 80.0):
        r = simulate("choi2025", binder="nbr-toluene", pressure=p)
        print(f"  toluene {p:4.0f} MPa: delithiation {getattr(r.cycles[0], DELITHIATION):6.1f} mAh/g, "
              f"ICE {100 * r.cycles[0].coulombic_efficiency:5.2f} %")
    rows_ = checks()
    fs = np.round(np.arange(0.02, 1.0001, 0.005), 3)
    for quantity in STRENGTHS:
        strength = {b: float(next(r["value"] for r in rows(path, "Choi2025", quantity) if r["binder"] == name))
                    for b, name in BINDERS.items()}
        ks = np.linspace(0.0, 120.0 / max(strength.values()), 2401)  # up to 120 MPa of traction
        ok = [(f, k) for f in fs for k in ks if feasible(curves, strength, f, k, rows_)]
        text = ", ".join(f"{b} {v:g}" for b, v in strength.items())
        if not ok:
            print(f"{quantity} ({text} N/m): no (f, k) puts every row within tolerance")
            continue
        f_ok, k_ok = np.array(ok).T
        pure = [k for f, k in ok if f == 1.0]
        print(f"{quantity} ({text} N/m): within tolerance for f {f_ok.min():.3f} ... {f_ok.max():.3f}, "
              f"k {k_ok.min():.3f} ... {k_ok.max():.3f} MPa per N/m; at f = 1: "
              + (f"k {min(pure):.3f} ... {max(pure):.3f}" if pure else "none"))


if __name__ == "__main__":
    main(*sys.argv[1:])
