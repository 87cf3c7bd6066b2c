"""Fit the void-nucleation constants on Jo 2024's porosity after 150 cycles.

Voids open where a particle pushes crept-in SE back or swells past its largest size,
dv/dt = kappa chi push, with the binder's resistance chi = exp(-Gamma / Gamma_chi)
(``models.contact_law``, ``models.binder_mechanics``). Two constants, kappa (``"Void
nucleation coefficient"``) and Gamma_chi (``"Binder void nucleation fracture energy
scale [J.m-2]"``), are fitted jointly on THREE rows: the porosity of Jo's NCM811
cathode after 150 cycles at 0.5C with 0.5 / 1.5 / 2.5 wt% NBR (15.0 / 11.2 / 9.0 %,
``jo2024-porosity150-*``), each from a real 150-cycle run of the paper's protocol
(``protocol="cycling-150"``, the fast path), by least squares in the porosity points
over log10 kappa and log10 Gamma_chi. Every other cell's voids (Choi's thickness growth,
Kwon's pouch cells) are then predictions.

    python scripts/calibrate_porosity.py            # the fit (~15 min on 2 cores)
    python scripts/calibrate_porosity.py --check    # the porosity at the carried values
"""

import argparse
import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np

ROWS = ("jo2024-porosity150-0.5wt", "jo2024-porosity150-1.5wt", "jo2024-porosity150-2.5wt")
KAPPA = "Void nucleation coefficient"
GAMMA_CHI = "Binder void nucleation fracture energy scale [J.m-2]"


def porosity_pct(args) -> float:
    """Porosity [%] after Jo's 150 cycles at binder content ``wt`` with the given constants."""
    wt, kappa, gamma_chi = args
    import ssbsim

    r = ssbsim.simulate("jo2024-cathode", binder_content=wt, protocol="cycling-150",
                        parameters={KAPPA: kappa, GAMMA_CHI: gamma_chi})
    if len(r.cycles) < r.conditions.cycles:
        return math.nan
    return 100.0 * float(r.series["porosity"][-1])


def rows() -> list:
    """The catalogue's entries of :data:`ROWS` (binder content and measured porosity)."""
    from ssbsim.simulator.catalogue import load_catalogue

    entries = {e.id: e for e in load_catalogue(["jo2024"])}
    return [entries[r] for r in ROWS]


def model(kappa: float, gamma_chi: float, contents, pool) -> np.ndarray:
    out = np.array(list(pool.map(porosity_pct, [(wt, kappa, gamma_chi) for wt in contents])))
    print(f"kappa = {kappa:.4g}, Gamma_chi = {gamma_chi:.4g} J/m2: "
          + ", ".join(f"{wt} wt% {p:.2f} %" for wt, p in zip(contents, out)), flush=True)
    return out


def main():
    from scipy.optimize import least_squares

    from ssbsim.parameter_sets.mechanics import BINDER_LAWS, SE_CONTACT

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only the porosity at the carried constants")
    args = ap.parse_args()
    entries = rows()
    contents = [e.conditions["binder_content"] for e in entries]
    measured = np.array([e.measured for e in entries])
    start = np.log10([SE_CONTACT[KAPPA], BINDER_LAWS[GAMMA_CHI]])
    with ProcessPoolExecutor(max_workers=2) as pool:
        if args.check:
            p = model(*10 ** start, contents, pool)
            print("residuals [points]:", np.round(p - measured, 2))
            return

        def residual(x):
            p = model(*10 ** x, contents, pool)
            return np.where(np.isfinite(p), p - measured, 50.0)

        fit = least_squares(residual, start, diff_step=0.02, x_scale=0.1, xtol=1e-3, ftol=1e-4, max_nfev=30)
        kappa, gamma_chi = 10 ** fit.x
        print(f"\nfitted kappa = {kappa:.4g}, Gamma_chi = {gamma_chi:.4g} J/m2 on {', '.join(ROWS)}"
              f" (residuals {np.round(fit.fun, 2)} points)")


if __name__ == "__main__":
    main()
