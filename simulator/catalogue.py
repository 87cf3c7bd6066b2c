"""The catalogue of the papers' measurements (``parameter_sets/experiments/*.toml``).

Each entry names one measured row of ``calibration_points.csv`` (``csv``: the columns
that select it), the measured value with unit and where it is in the paper, the preset
cell, the conditions and protocol the paper ran, a tolerance with its reason, and how
to derive the quantity from a simulation (``derive``):

``{kind = "capacity", half = "discharge" | "charge" | "lithiation" | "delithiation", cycle = k}``
    a cycle's capacity (``cycle`` 1-based; negative counts from the end; ``cycles = [...]``
    for a mean);
``{kind = "coulombic_efficiency", cycle = k}``;
``{kind = "phase", phase = "primary" | "secondary", half = ..., cycle = 1}``
    what one particle phase of a two-phase electrode gave or took in the first cycle;
``{kind = "plateau_split", half = "delithiation" | "charge", cycle = k, part = "above" | "below"}``
    the capacity a cycle's half gave above or below its dQ/dV valley, as a lab splits a
    graphite-Si delithiation into a Si and a graphite part (:mod:`.plateau_split`;
    ``search_V = [lo, hi]`` overrides the valley's window);
``{kind = "retention", half = ..., cycles = [...], reference_cycles = [...]}``
    mean capacity of ``cycles`` over that of ``reference_cycles``;
``{kind = "final", key = "porosity" | "thickness_change_um" | ...}``
    a mechanics series at the end of the protocol (change from the start with
    ``change = true``);
``{kind = "last_cycle", key = "end_electrode_thickness_change_um" | ...}``
    a per-cycle metric (a ``CycleMetrics`` field) of the protocol's last cycle (the
    electrode's own thickness change from its pristine state, not the cell's);
``{kind = "electrode", key = "active_area_fraction" | "effective_ionic_conductivity_30C_S_cm" | ...}``
    a property of the electrode as built (no solve);
``{kind = "characterise", measurement = "blocking", key = "ionic_conductivity_S_cm" | "electronic_conductivity_S_cm"}``
    what a virtual measurement of the entry's cell and conditions returns, analysed as
    the lab does (:func:`ssbsim.simulator.characterise_cells.blocking`: the composite's
    conductivity sigma = L / (R A) from a DC blocking-cell resistance; ``ssbsim
    characterise blocking`` with the same conditions; 30 C unless the conditions give a
    ``temperature``);
and with ``compare = {conditions = {...}, op = "ratio" | "difference"}`` the same
quantity of a second cell. Values in ``%`` are derived as fractions and shown x100.

A measurement that the paper states for other conditions too, and that the data keep in a
row's note rather than in rows of their own ("about 77 % for NBR-A at every pressure
tested"), is an entry with ``from_note``: a quote of that note, which holds the entry's
value, and ``quantity`` if it is not the row's. It names the row it comes from (``csv``)
but does not claim it; the row's own entry does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ssbsim.parameter_sets import experiments

from .errors import InputError

KINDS = ("capacity", "coulombic_efficiency", "retention", "final", "last_cycle", "electrode", "phase",
         "plateau_split", "characterise")
#: Virtual measurements of ``kind = "characterise"`` (functions of ``characterise_cells``
#: of the same name) and the results each can give.
MEASUREMENTS = {"blocking": ("ionic_conductivity_S_cm", "electronic_conductivity_S_cm")}
HALVES = ("charge", "discharge", "lithiation", "delithiation")


@dataclass(frozen=True)
class Entry:
    """One measurement of the catalogue."""

    id: str
    paper: str
    source: str  # the CSV's source column
    quantity: str
    unit: str
    measured: float  # the value (the middle of a range)
    measured_text: str  # as written in the data ("18-35", "22->27")
    where: str
    preset: str | None
    conditions: dict
    protocol: str | None
    derive: dict
    tolerance: dict
    tolerance_reason: str
    csv: dict
    quick: bool = False
    unsupported: str = ""  # why the model cannot simulate it (reported, not scored)
    curve: dict = field(default_factory=dict)  # extra model points for the figure
    known_limit: str = ""  # why the model misses this row and where that is shown (beside a miss)
    from_note: str = ""  # a quote of the CSV row's note that states this value (other conditions)

    @property
    def range(self) -> tuple[float, float] | None:
        lo_hi = _range(self.measured_text)
        return lo_hi if lo_hi and "->" not in self.measured_text else None

    def within(self, model: float) -> bool:
        """Whether ``model`` is within the tolerance of the measurement
        (|:meth:`tolerance_error`| <= 1)."""
        return abs(self.tolerance_error(model)) <= 1.0  # NaN (no value) is not within

    def tolerance_error(self, model: float) -> float:
        """The model's error in units of the tolerance (signed; ``within`` is
        ``|error| <= 1``): (model - measured) / abs, / (rel |measured|), or
        log(model / measured) / log(factor); for a range, the distance from its middle
        over its half-width."""
        tol = self.tolerance
        if model is None or not math.isfinite(model) or ("factor" in tol and model <= 0):
            return math.nan
        if "range" in tol:
            lo, hi = self.range
            return (model - 0.5 * (lo + hi)) / (0.5 * (hi - lo))
        if "abs" in tol:
            return (model - self.measured) / tol["abs"]
        if "rel" in tol:
            return (model - self.measured) / (tol["rel"] * abs(self.measured))
        if "factor" in tol:
            return math.log(model / self.measured) / math.log(tol["factor"])
        raise InputError(f"catalogue entry {self.id}: tolerance {tol} is not abs, rel, factor or range")

    def tolerance_text(self) -> str:
        t = self.tolerance
        if "range" in t:
            return "within the measured range"
        if "abs" in t:
            return f"±{t['abs']:g}" + ("" if self.unit == "-" else f" {self.unit}")
        if "rel" in t:
            return f"±{100 * t['rel']:g} %"
        return f"x/÷ {t['factor']:g}"


def _range(text: str):
    for sep in ("->", "-"):
        parts = text.split(sep)
        if len(parts) == 2 and parts[0]:
            try:
                return float(parts[0]), float(parts[1])
            except ValueError:
                return None
    return None


def _measured_value(text: str) -> float:
    if "->" in text:  # "22->27": the change
        a, b = _range(text)
        return b - a
    r = _range(text)
    return (r[0] + r[1]) / 2 if r else float(text)


def load_catalogue(papers=None) -> list[Entry]:
    """Every catalogue entry (of ``papers``, e.g. ``["kwon2022"]``; default all)."""
    papers = experiments.PAPERS if papers is None else papers
    out = []
    for paper in papers:
        doc = experiments.load(paper)
        for e in doc.get("experiments", []):
            out.append(_entry(paper, doc, e))
    ids = [e.id for e in out]
    if len(set(ids)) != len(ids):
        raise InputError(f"catalogue ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
    return out


def _entry(paper: str, doc: dict, e: dict) -> Entry:
    where = f"{paper}.toml, experiment {e.get('id', '?')!r}"
    derive = e.get("derive", {})
    if not e.get("unsupported") and derive.get("kind") not in KINDS:
        raise InputError(f"{where}: derive.kind={derive.get('kind')!r}; allowed: {', '.join(KINDS)}")
    if derive.get("half") not in (None, *HALVES):
        raise InputError(f"{where}: derive.half={derive['half']!r}; allowed: {', '.join(HALVES)}")
    if derive.get("kind") == "characterise":
        _check_measurement(where, derive)
    if derive.get("kind") == "plateau_split" and (derive.get("half") not in ("delithiation", "charge")
                                                   or derive.get("part") not in ("above", "below")):
        raise InputError(f"{where}: plateau_split needs half = 'delithiation' or 'charge' (a rising voltage) and "
                         f"part = 'above' or 'below'; got half={derive.get('half')!r}, part={derive.get('part')!r}")
    if "quantity" in e and not e.get("from_note"):
        raise InputError(f"{where}: quantity= is only for a value from a row's note (from_note); "
                         f"the row's own quantity is csv.quantity")
    m = e["measured"]
    text = str(m["value"])
    return Entry(
        id=e["id"], paper=paper, source=doc["source"], quantity=e.get("quantity", e["csv"]["quantity"]),
        unit=m["unit"],
        measured=_measured_value(text), measured_text=text, where=m.get("where", ""),
        preset=e.get("preset"), conditions=dict(e.get("conditions", {})), protocol=e.get("protocol"),
        derive=derive, tolerance=dict(e["tolerance"]), tolerance_reason=e.get("tolerance_reason", ""),
        csv=dict(e["csv"]), quick=bool(e.get("quick", False)), unsupported=e.get("unsupported", ""),
        curve=dict(e.get("curve", {})), known_limit=e.get("known_limit", ""),
        from_note=e.get("from_note", ""),
    )


def _check_measurement(where: str, derive: dict) -> None:
    measurement = derive.get("measurement")
    if measurement not in MEASUREMENTS:
        raise InputError(f"{where}: derive.measurement={measurement!r}; allowed: {', '.join(MEASUREMENTS)}")
    if derive.get("key") not in MEASUREMENTS[measurement]:
        raise InputError(f"{where}: derive.key={derive.get('key')!r}; allowed for measurement "
                         f"{measurement!r}: {', '.join(MEASUREMENTS[measurement])}")


def inputs() -> dict[str, tuple[str, dict]]:
    """Measured inputs (material / electrode properties): id -> (source, CSV selector)."""
    out = {}
    for paper in experiments.PAPERS:
        doc = experiments.load(paper)
        for i in doc.get("inputs", []):
            out[i["id"]] = (doc["source"], dict(i["csv"]))
    return out


def all_row_ids() -> set[str]:
    """Ids of every catalogued row: measurements and measured inputs."""
    return {e.id for e in load_catalogue()} | set(inputs())


def matches(row: dict, source: str, selector: dict) -> bool:
    """Whether a CSV row is the one ``source`` + ``selector`` name (numbers compared as numbers)."""
    if row["source"] != source:
        return False
    for k, v in selector.items():
        cell = row.get(k, "")
        try:
            if float(cell) != float(v):
                return False
        except ValueError:
            if cell != str(v):
                return False
    return True
