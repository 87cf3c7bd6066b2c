"""Concentration-dependent Li diffusivity of layered NCM: a physical end of discharge.

Li diffusion in a layered oxide slows by orders of magnitude as the lattice refills
(x -> 1): few vacancies are left for Li to hop into (divacancy mechanism; Van der Ven
and Ceder, Electrochem. Solid-State Lett. 3 (2000) 301), and GITT on Ni-rich NCM shows D
falling by 1-2 decades at the end of discharge (Kasnatscheew et al., PCCP 18 (2016)
3956; Ruess et al., J. Electrochem. Soc. 167 (2020) 100532, doi:10.1149/1945-7111/ab9a2c,
in liquid and in sulfide solid-state cells). The surface of a particle then fills
before its core, the voltage falls while Li still enters: the first-cycle loss of NCM
is kinetic and the discharge ends in a tail, not a vertical cliff.

The law (:class:`NcmDiffusivity`)::

    D(x, T) = s * D_pub(x) * exp(E_a / R * (1 / T_meas - 1 / T))               [m2.s-1]
    log10 D_pub(x) = A - k * w * ln(1 + exp((x - x_0) / w))

* ``D_pub(x)``: a smooth analytic form of measured GITT points
  (``data/ncm_diffusivity_Ecker2015.csv``, 15 points, x = 0.14 ... 1.00; Ecker et al.,
  J. Electrochem. Soc. 162 (2015) A1836, coin half cells at T_meas = 23 C): a plateau
  10^A that turns, around x_0, into a log-linear fall of k decades per unit x (a
  softplus corner of width w). A, k and x_0 are the least-squares fit in log10 D to all
  15 points (:func:`fit_shape`; A = -12.960, k = 12.33, x_0 = 0.892, rms 0.46 decade):
  from x = 0.875 to 1.00 the points fall by 1.39 decades (1.34e-13 -> 5.4e-15 m2/s),
  the fit by 1.25 (residuals -0.18, +0.10, -0.03 decade at x = 0.875, 0.94, 1.00).
  The fit does not follow the single-point dip at x = 0.63 (4.5e-15, a decade below
  its neighbours), where the OCP is flat and GITT's (dE/dx)^2 factor
  makes D ill-determined (Kang and Chueh, J. Electrochem. Soc. 168 (2021) 120504);
  interpolating through it makes the dip a barrier that strands the particle cores at
  x ~ 0.6 in mid-discharge. w = 0.02 is assumed: the points (0.06 apart) do not
  resolve the corner (refitted at w = 0.01 or 0.03, D(x >= 0.85) moves by <= 0.03
  decade).
  Ecker's cathode is a layered Li(Ni,Co)O2, not a Ni-rich NCM: we use its measured
  *shape* because it is the only tabulated GITT data set we have that reaches x = 1;
  the Ni-rich D(x) of O'Regan et al. 2022 (PyBaMM's ``ORegan2022``) stops short of the
  end of discharge and has no drop there.
* ``s``: the one fitted constant, the ratio of the diffusivity that a sulfide
  solid-state cell's NCM shows over its secondary-particle radius to the
  liquid-cell GITT value (in a liquid cell the electrolyte enters the cracks of
  polycrystalline NCM and shortens the diffusion length; in a solid-state cell it
  does not: Ruess et al. 2020; Min, Glossmann, Li, review). Fitted on the 0.05C first
  discharge of Jo 2024 (NCM811, 75 MPa) and the 0.1C first discharges of Kwon 2022 at
  70 MPa (NCM711), see :data:`NCM_DIFFUSIVITY` and ``provenance.toml``.
* ``E_a = 12.05 kJ/mol``: the Arrhenius energy of NMC811's diffusivity measured by
  O'Regan et al., Electrochim. Acta 425 (2022) 140700 (E_a / R = 1449 K, PyBaMM's
  ``nmc_LGM50_diffusivity_ORegan2022``).

The diffusion length is PyBaMM's particle radius: the secondary-particle radius of
polycrystalline NCM (no liquid infiltrates the cracks of an SSB) and the crystal size
of single-crystal NMC83 (``materials.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pybamm

R_GAS = 8.314462618  # [J.mol-1.K-1]
DATA_DIR = Path(__file__).with_name("data")


@functools.lru_cache(maxsize=8)
def read_points(table: str) -> tuple[np.ndarray, np.ndarray]:
    """(x [-], D [m2.s-1]) of a tabulated diffusivity in ``parameter_sets/data``."""
    path = DATA_DIR / table
    if not path.is_file():
        raise FileNotFoundError(f"no diffusivity table {table!r} in {DATA_DIR}")
    data = np.loadtxt(path, delimiter=",", comments="#", ndmin=2)
    x, D = data[:, 0], data[:, 1]
    if np.any(np.diff(x) <= 0) or np.any(D <= 0):
        raise ValueError(f"{table}: x must increase and D be positive")
    x.flags.writeable = D.flags.writeable = False
    return x, D


def fit_shape(x, D, width: float) -> tuple[float, float, float]:
    """(A, k, x_0) of log10 D = A - k w ln(1 + exp((x - x_0) / w)): least squares in
    log10 D over the points (x [-], D [m2.s-1]) at the given corner width w [-]."""
    from scipy.optimize import least_squares

    x, y = np.asarray(x, float), np.log10(np.asarray(D, float))

    def residual(p):
        return p[0] - p[1] * width * np.logaddexp(0.0, (x - p[2]) / width) - y

    return tuple(float(v) for v in least_squares(residual, [y.max(), 10.0, 0.9]).x)


@dataclass(frozen=True)
class NcmDiffusivity:
    """D(x, T) = s 10^(A - k w ln(1 + exp((x - x_0) / w))) exp(E_a / R (1 / T_meas - 1 / T)) [m2.s-1].

    See the module docstring for the equation's sources; ``table`` names the published
    points the shape (A, k, x_0) was fitted on.
    """

    table: str
    log10_plateau_m2_s: float  # A [log10(m2.s-1)]
    decline_decades_per_sto: float  # k [-]
    onset_sto: float  # x_0 [-]
    onset_width_sto: float  # w [-]
    scale: float  # s [-]
    activation_energy_J_mol: float  # E_a [J.mol-1]
    measurement_temperature_K: float  # T_meas [K]

    def __post_init__(self):
        for f in ("onset_width_sto", "scale", "measurement_temperature_K"):
            if not getattr(self, f) > 0:
                raise ValueError(f"NCM diffusivity: {f} must be > 0, got {getattr(self, f)!r}")

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """The published points (x [-], D [m2.s-1]) the shape was fitted on, unscaled."""
        return read_points(self.table)

    def log10_published(self, sto):
        """log10 D_pub(x) [log10(m2.s-1)], for numbers (NumPy) or PyBaMM symbols."""
        z = (sto - self.onset_sto) / self.onset_width_sto
        if isinstance(sto, pybamm.Symbol):
            softplus = pybamm.log(1 + pybamm.exp(z))
        else:
            softplus = np.logaddexp(0.0, z)
        return self.log10_plateau_m2_s - self.decline_decades_per_sto * self.onset_width_sto * softplus

    def __call__(self, sto, T):
        """D(sto, T) as a PyBaMM expression [m2.s-1] (``sto``, ``T`` PyBaMM symbols or numbers)."""
        arrhenius = pybamm.exp(self.activation_energy_J_mol / R_GAS * (1 / self.measurement_temperature_K - 1 / T))
        return self.scale * 10 ** self.log10_published(sto) * arrhenius


#: Ni-rich NCM (NCM811, NCM711, NMC83): the shape fitted on Ecker 2015's measured
#: points (fit_shape at w = 0.02), the scale s fitted on jo2024-ncm-q0-0.5wt,
#: kwon2022-q1-pristine-70MPa and kwon2022-q1-vulcanized-70MPa
#: (scripts/fit_ncm_diffusivity.py), E_a of O'Regan 2022 (E_a / R = 1449 K).
NCM_DIFFUSIVITY = NcmDiffusivity(
    table="ncm_diffusivity_Ecker2015.csv",
    log10_plateau_m2_s=-12.960,
    decline_decades_per_sto=12.33,
    onset_sto=0.8915,
    onset_width_sto=0.02,
    scale=0.0078,
    activation_energy_J_mol=1449.0 * R_GAS,
    measurement_temperature_K=296.15,
)
