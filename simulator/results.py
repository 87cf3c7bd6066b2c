"""The result of one simulation: per-cycle capacities, voltages and time series."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pybamm

from ssbsim.models.phases import phase_names

if TYPE_CHECKING:
    from .conditions import Conditions

FARADAY = 96485.33212  # [C.mol-1]


def cell_half_cycle(half: str) -> str:
    """The cell's half-cycle ("charge" / "discharge") of a working-electrode half-cycle:
    in every ssbsim cell the working electrode lithiates on the cell's discharge (it is
    PyBaMM's positive electrode in half cells, and the cathode in full cells)."""
    return {"lithiation": "discharge", "delithiation": "charge"}.get(half, half)


@dataclass
class CycleMetrics:
    """Capacities per gram of working-electrode active material, one cycle."""

    charge_capacity_mAh_g: float
    discharge_capacity_mAh_g: float
    coulombic_efficiency: float
    average_discharge_voltage_V: float
    average_discharge_voltage_vs_counter_V: float
    block: int = 0  # index of the protocol entry the cycle belongs to
    label: str = ""  # that entry's label (e.g. "formation", "1.5C")
    pressure_MPa: float = float("nan")  # stack pressure set for the cycle (in a fixture: at its entry's start)
    min_stack_pressure_MPa: float = float("nan")  # the stack pressure the cell felt: its
    max_stack_pressure_MPa: float = float("nan")  # extremes over the cycle (models.fixture)
    # the contact state at the end of the cycle (NaN without contact mechanics)
    end_contact_fraction: float = float("nan")  # of the connected surface [-]
    loss_of_active_material_pct: float = float("nan")  # capacity of isolated particles (PyBaMM's LAM) [%]
    end_porosity_increase: float = float("nan")  # voids and gaps [-]
    end_thickness_change_um: float = float("nan")  # cell at fixed pressure [um]
    end_electrode_thickness_change_um: float = float("nan")  # working electrode [um]
    voltage_hysteresis_V: float = float("nan")  # mean charge minus mean discharge voltage
    interpolated: bool = False  # skipped by the fast path: between two solved cycles


#: End-of-cycle contact state: CycleMetrics field -> (PyBaMM summary variable with
#: ``{D}`` the working electrode's domain, factor).
CONTACT_SUMMARY = {
    "end_contact_fraction": ("{D} electrode contact fraction", 1.0),
    "loss_of_active_material_pct": ("Loss of active material in {d} electrode [%]", 1.0),
    "end_porosity_increase": ("{D} electrode porosity increase", 1.0),
    "end_thickness_change_um": ("Cell thickness change at fixed pressure [m]", 1e6),
    "end_electrode_thickness_change_um": ("{D} electrode thickness change [m]", 1e6),
}


def summary_variable_names(domain: str) -> list[str]:
    """The PyBaMM summary variables :func:`cycle_metrics` reads for ``domain``."""
    return [name.format(D=domain.capitalize(), d=domain.lower()) for name, _ in CONTACT_SUMMARY.values()]


def cycle_metrics(cycle, summary, mass_g: float, working: str, block: int = 0, label: str = "",
                  pressure_MPa: float = float("nan"), domain: str = "positive",
                  fixture: str = "constant pressure") -> CycleMetrics:
    """Metrics of one cycle: its ``pybamm.Solution`` (or None where it was not kept)
    and its PyBaMM summary variables.

    A step whose "Discharge capacity [A.h]" rises is a discharge (positive current in
    PyBaMM), one whose capacity falls a charge. Without the cycle's solution, the
    summary's changes in throughput T and in the discharge counter Q give discharge
    (T + Q) / 2 and charge (T - Q) / 2, and the average voltages are not known (NaN).
    Coulombic efficiency is the second half-cycle over the first: discharge/charge for
    cathodes and full cells, charge (delithiation) / discharge (lithiation) for anode
    half cells. Average discharge voltage is energy over charge during discharge steps.
    The stack pressure's extremes are ``pressure_MPa`` at constant pressure; in a spring
    or rigid ``fixture`` they are read from the cycle's ``"Stack pressure [Pa]"`` (NaN
    where the cycle was not kept).
    """
    charge = discharge = energy = energy_ce = charge_energy = 0.0
    if cycle is None:
        throughput = summary["Change in throughput capacity [A.h]"]
        net = summary["Change in discharge capacity [A.h]"]
        discharge, charge = (throughput + net) / 2, (throughput - net) / 2
        energy = energy_ce = float("nan")
    for step in cycle.steps if cycle is not None else ():
        if isinstance(step, pybamm.EmptySolution):
            continue  # passed over: its end condition held at its start
        t = step["Time [s]"].entries
        q = step["Discharge capacity [A.h]"].entries
        dq = q[-1] - q[0]
        if dq >= 0:
            discharge += dq
            i = step["Current [A]"].entries
            energy += np.trapezoid(i * step["Voltage [V]"].entries, t) / 3600
            energy_ce += np.trapezoid(i * step["Voltage vs counter electrode [V]"].entries, t) / 3600
        else:
            charge -= dq
            charge_energy -= np.trapezoid(step["Current [A]"].entries * step["Voltage [V]"].entries, t) / 3600
    first, second = (discharge, charge) if working == "anode" else (charge, discharge)
    mAh_g = 1e3 / mass_g
    return CycleMetrics(
        charge_capacity_mAh_g=charge * mAh_g,
        discharge_capacity_mAh_g=discharge * mAh_g,
        coulombic_efficiency=second / first if first > 0 else float("nan"),
        average_discharge_voltage_V=energy / discharge if discharge > 0 else float("nan"),
        average_discharge_voltage_vs_counter_V=energy_ce / discharge if discharge > 0 else float("nan"),
        block=block, label=label, pressure_MPa=pressure_MPa,
        voltage_hysteresis_V=(charge_energy / charge - energy / discharge) if cycle is not None and charge > 0
        and discharge > 0 else float("nan"),
        **_contact_state(summary, domain),
        **_pressure_extremes(cycle, pressure_MPa, fixture),
    )


def _contact_state(summary, domain: str) -> dict:
    out = {}
    for key, (name, factor) in CONTACT_SUMMARY.items():
        try:
            out[key] = float(summary[name.format(D=domain.capitalize(), d=domain.lower())]) * factor
            out[key] = max(out[key], 0.0) if key == "loss_of_active_material_pct" else out[key]  # no -2e-9 %
        except KeyError:
            pass  # no contact mechanics
    return out


def _pressure_extremes(cycle, pressure_MPa: float, fixture: str) -> dict:
    if fixture == "constant pressure":
        lo = hi = pressure_MPa
    elif cycle is None:
        lo = hi = float("nan")
    else:
        p = np.concatenate([np.ravel(st["Stack pressure [Pa]"].entries) for st in cycle.steps]) / 1e6
        lo, hi = float(p.min()), float(p.max())
    return {"min_stack_pressure_MPa": lo, "max_stack_pressure_MPa": hi}


def mechanics_series(sol, pv, domain: str) -> dict:
    """Time series of the contact state and operando outputs (working electrode)."""
    def get(name):
        return np.ravel(sol[name].entries)

    phases = phase_names(sol.all_models[0].options, domain.lower())
    eps0 = [pv[f"{pre}{domain} electrode active material volume fraction"] for pre, _ in phases]
    # the contact fraction is an algebraic aggregate: at the kink where contact recovers
    # fully, the solver's tolerance lets it exceed 1 by ~1e-4; reported clipped
    return {
        "contact_fraction": np.clip(get(f"{domain} electrode contact fraction"), 0.0, 1.0),
        "isolated_fraction": sum(e * get(f"{domain} electrode {ph}isolated fraction")
                                 for e, (_, ph) in zip(eps0, phases)) / sum(eps0),
        "porosity": pv[f"{domain} electrode void fraction"] + get(f"{domain} electrode porosity increase"),
        "interface_contact_fraction": get(f"{domain} electrode|SE layer interface contact fraction"),
        "stack_pressure_MPa": get("Stack pressure [Pa]") / 1e6 + np.zeros_like(sol.t),
        "stack_pressure_change_MPa": get("Stack pressure change at fixed displacement [Pa]") / 1e6,
        "thickness_change_um": get("Cell thickness change at fixed pressure [m]") * 1e6,
    }


def mechanics_summary(series: dict) -> dict:
    """Final contact state and operando extremes from :func:`mechanics_series`."""
    def extreme(x):
        return float(x[np.argmax(np.abs(x))])

    return {
        "final_contact_fraction": float(series["contact_fraction"][-1]),
        "final_isolated_fraction": max(float(series["isolated_fraction"][-1]), 0.0),  # not the solver's -3e-11
        "final_porosity": float(series["porosity"][-1]),
        "final_interface_contact_fraction": float(series["interface_contact_fraction"][-1]),
        "min_stack_pressure_MPa": float(series["stack_pressure_MPa"].min()),
        "max_stack_pressure_MPa": float(series["stack_pressure_MPa"].max()),
        "max_stack_pressure_change_MPa": extreme(series["stack_pressure_change_MPa"]),
        "max_thickness_change_um": extreme(series["thickness_change_um"]),
    }


@dataclass
class SimulationResult:
    """What :func:`ssbsim.simulate` returns.

    Attributes
    ----------
    conditions : Conditions
        What was run (:class:`~ssbsim.simulator.conditions.Conditions`).
    cycles : list of CycleMetrics
        One per completed cycle (fewer than ``conditions.cycles`` where the run stopped).
    electrode : dict
        Binder coverage, relative active area and effective conductivities [S/cm].
    time_s, current_A, voltage_V, voltage_vs_counter_V : numpy arrays
        Time series of the whole run (PyBaMM sign: current > 0 on discharge).
    series : dict of numpy arrays
        With contact mechanics: ``contact_fraction``, ``isolated_fraction``,
        ``porosity``, ``interface_contact_fraction``, ``stack_pressure_MPa`` (the pressure
        the contact law felt: constant, or set by the fixture), ``stack_pressure_change_MPa``
        (what a fixed displacement would make of the breathing, reported in any fixture)
        and ``thickness_change_um`` (at fixed pressure).
    solution : pybamm.Solution
        The full PyBaMM solution, for any other variable.
    domain : {"positive", "negative"}
        PyBaMM's domain of the working electrode.
    working : {"cathode", "anode"}
        What the working electrode is.
    cycle_path : {"cycle by cycle", "cycle skipping"}
        Which path ran; with cycle skipping, ``representative_cycles`` were solved by
        PyBaMM (the others' metrics are interpolated, ``CycleMetrics.interpolated``),
        the time series and ``solution`` are the last cycle's, and ``timings`` holds
        the run's and the ensemble's seconds.
    """

    conditions: Conditions
    cycles: list[CycleMetrics]
    electrode: dict
    time_s: np.ndarray
    current_A: np.ndarray
    voltage_V: np.ndarray
    voltage_vs_counter_V: np.ndarray
    voltage_reference: str
    series: dict = field(default_factory=dict)
    solution: object = field(repr=False, default=None)
    notes: list[str] = field(default_factory=list)
    domain: str = "positive"
    working: str = "cathode"
    cycle_path: str = "cycle by cycle"  # or "cycle skipping" (``simulator.cycle_life``)
    representative_cycles: list = field(default_factory=list)  # solved by PyBaMM when skipping (1-based)
    timings: dict = field(default_factory=dict)  # fast path: total_s, ensemble_s
    cycle_solutions: dict = field(default_factory=dict, repr=False)  # fast path: cycle index -> its solution
    _phase_halves: dict = field(default_factory=dict, repr=False, compare=False)  # cycle -> phase_halves_mAh_g

    def cycle_solution(self, cycle: int = 0):
        """The ``pybamm.Solution`` of a cycle (0-based; negative from the end). On the
        fast path only the first and last cycles' solutions are kept."""
        if not self.cycle_solutions:
            return self.solution.cycles[cycle]
        index = cycle % len(self.cycles)
        if index not in self.cycle_solutions:
            raise IndexError(f"cycle {cycle}: the fast path kept the solutions of cycles "
                             f"{sorted(self.cycle_solutions)} only")
        return self.cycle_solutions[index]

    def __getattr__(self, name):
        # first-cycle metrics as attributes: result.discharge_capacity_mAh_g
        if name in CycleMetrics.__dataclass_fields__ and self.__dict__.get("cycles"):
            return getattr(self.cycles[0], name)
        raise AttributeError(name)

    @property
    def cycles_completed(self) -> int:
        """Cycles that ran every step (``conditions.cycles`` unless the run stopped)."""
        return len(self.cycles)

    @property
    def lithiation_capacity_mAh_g(self) -> float:
        """First-cycle lithiation of the working electrode [mAh/g]: the cell's discharge
        (the working electrode is PyBaMM's positive electrode in half cells, and the
        cathode in full cells, so it lithiates on discharge in every ssbsim cell)."""
        return self.cycles[0].discharge_capacity_mAh_g

    @property
    def delithiation_capacity_mAh_g(self) -> float:
        """First-cycle delithiation of the working electrode [mAh/g]: the cell's charge."""
        return self.cycles[0].charge_capacity_mAh_g

    def cycle_dicts(self) -> list[dict]:
        """One dict per cycle (the JSON ``cycles`` list); anode half cells also name the
        half-cycles by what the anode does: lithiation = discharge, delithiation = charge."""
        out = []
        for c in self.cycles:
            d = dict(vars(c))
            if self.working == "anode":
                d["lithiation_capacity_mAh_g"] = c.discharge_capacity_mAh_g
                d["delithiation_capacity_mAh_g"] = c.charge_capacity_mAh_g
            out.append(d)
        return out

    def phase_uptake_mAh_g(self, step: int = 0, cycle: int = 0) -> dict:
        """Charge each particle phase of the working electrode took through its surface
        during ``step`` of ``cycle`` (0: the first) [mAh per g of working active material]:
        the Li it took up (Li stranded in contact-isolated particles included) plus the
        Li the SE's reduction on its surface consumed (``parameter_sets.interphase``), so
        the phases sum to the charge passed. Keys ``"primary"`` / ``"secondary"``, or
        ``"all"`` for a one-phase electrode. Negative where the phase gave charge up."""
        st, d = self.cycle_solution(cycle).steps[step], self.domain
        mAh_g_per_mol = FARADAY / 3.6 / self.electrode["active_mass_g"]
        out = {}
        for _, ph in phase_names(self.solution.all_models[0].options, d):
            names = [f"Total lithium in {ph}phase in {d} electrode [mol]" if ph else
                     f"Total lithium in {d} electrode [mol]",
                     f"Loss of lithium due to loss of {ph}active material in {d} electrode [mol]",
                     f"Loss of lithium to {d} {ph}SEI [mol]"]
            q = sum(st[n].entries for n in names if n in st.all_models[0].variables)
            out[ph.strip() or "all"] = float(q[-1] - q[0]) * mAh_g_per_mol
        return out

    def phase_irreversible_mAh_g(self, step: int = 0, cycle: int = 0) -> dict:
        """Li the SE's reduction consumed on each phase during ``step`` of ``cycle``
        [mAh/g of working active material] (zero without the interphase)."""
        st, d = self.cycle_solution(cycle).steps[step], self.domain
        mAh_g_per_mol = FARADAY / 3.6 / self.electrode["active_mass_g"]
        out = {}
        for _, ph in phase_names(self.solution.all_models[0].options, d):
            name = f"Loss of lithium to {d} {ph}SEI [mol]"
            q = st[name].entries if name in st.all_models[0].variables else [0.0, 0.0]
            out[ph.strip() or "all"] = float(q[-1] - q[0]) * mAh_g_per_mol
        return out

    def phase_halves_mAh_g(self, cycle: int = 0) -> dict:
        """Per phase, the lithium taken up (``lithiation``) and given back (``delithiation``)
        over the steps of ``cycle`` [mAh/g of working active material], read once per cycle:
        ``{"secondary": {"lithiation": ..., "delithiation": ...}, ...}``."""
        if cycle not in self._phase_halves:  # the summary and the sweep's record both ask
            qs = [self.phase_uptake_mAh_g(k, cycle) for k in range(len(self.cycle_solution(cycle).steps))]
            self._phase_halves[cycle] = {ph: {"lithiation": sum((q[ph] for q in qs if q[ph] > 0), 0.0),
                                              "delithiation": sum((-q[ph] for q in qs if q[ph] < 0), 0.0)}
                                         for ph in (qs[0] if qs else {})}
        return {ph: dict(h) for ph, h in self._phase_halves[cycle].items()}

    def to_dict(self) -> dict:
        """A JSON-ready summary: conditions and first-cycle metrics at the top level (a
        condition keeps its value where a metric shares its name), ``cycles``, one object
        per cycle (see :meth:`cycle_dicts`), and ``conditions`` as
        ``Conditions.from_dict`` reads them back."""
        d = self.conditions.to_dict()
        if self.cycles_completed < self.conditions.cycles:
            d["cycles_completed"] = self.cycles_completed
        cycles = self.cycle_dicts()
        d.update({k: v for k, v in cycles[0].items() if k not in d} | {"conditions": self.conditions.to_dict()})
        d["voltage_reference"] = self.voltage_reference
        d.update(self.electrode)
        d["cycles"] = cycles
        d["cycle_path"] = self.cycle_path
        if self.representative_cycles:
            d["representative_cycles"] = list(self.representative_cycles)
        from .plateau_split import first_delithiation_split  # it reads results' helpers

        split = first_delithiation_split(self)
        if split is not None:
            d["first_delithiation_split"] = split
        d["notes"] = list(self.notes)
        return {k: _plain(v) for k, v in d.items()}

    def summary(self) -> str:
        """A short human-readable summary."""
        c = self.conditions
        binder = "binder-free" if c.process == "none" else f"binder {c.binder} {c.binder_content_wt_pct:g} wt% ({c.process})"
        lines = [f"{c.preset} ({c.model}), {binder}, {c.pressure_MPa:g} MPa, "
                 + (f"{c.c_rate:g}C" if c.c_rate is not None else f"protocol of {c.cycles} cycle{'s' * (c.cycles != 1)}")
                 + f", {c.temperature_C:g} C"]
        e = self.electrode
        if "final_contact_fraction" in e:
            lines.append(
                f"  contact {e['final_contact_fraction']:.3f}, isolated {round(100 * e['final_isolated_fraction'], 1) + 0.0:.1f} % of "
                f"the active volume, "
                f"porosity {100 * e['final_porosity']:.1f} %, interface contact "
                f"{e['final_interface_contact_fraction']:.3f}; "
                + (f"at fixed displacement the stack pressure changes by up to "
                   f"{e['max_stack_pressure_change_MPa']:+.2f} MPa" if c.fixture == "constant pressure"
                   else f"stack pressure {e['min_stack_pressure_MPa']:.3f} to "
                   f"{e['max_stack_pressure_MPa']:.3f} MPa ({c.fixture} fixture)")
            )
        n = len(self.cycles)
        if self.cycle_path != "cycle by cycle":
            lines.append(f"  {self.cycle_path}: {len(self.representative_cycles)} of {n} cycles solved by PyBaMM "
                         "(~: interpolated between them)")
        for k in shown_cycles(n):
            cyc = self.cycles[k - 1]
            lam = cyc.loss_of_active_material_pct
            lines.append(
                f"  cycle {k}{'~' if cyc.interpolated else ''}: charge {cyc.charge_capacity_mAh_g:.1f} mAh/g, "
                f"discharge {cyc.discharge_capacity_mAh_g:.1f} mAh/g, CE {100 * cyc.coulombic_efficiency:.1f} %, "
                f"mean discharge voltage {cyc.average_discharge_voltage_V:.3f} V ({self.voltage_reference})"
                + ("" if np.isnan(lam) else f", capacity isolated {lam:.1f} %"))
        from .plateau_split import first_delithiation_split, split_line

        lines += split_line(first_delithiation_split(self))
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def shown_cycles(n: int, first: int = 3, rows: int = 10) -> list[int]:
    """Cycles a text summary lists: all up to 12, else the first three, about ``rows``
    evenly spaced and the last (1-based)."""
    if n <= 12:
        return list(range(1, n + 1))
    step = max(n // rows, 1)
    return sorted(set(range(1, first + 1)) | set(range(step, n, step)) | {n})


def _plain(v):
    """JSON-ready: numpy scalars as Python numbers, NaN / inf as None."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v
