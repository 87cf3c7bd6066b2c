"""Shared fixtures: the calibration data and cached simulations."""

import csv
import functools
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "calibration_points.csv"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "calibration_points.csv"


def calibration_rows(source=None, quantity=None):
    """Rows of the calibration CSV, filtered by source and quantity."""
    with open(DATA, newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        r for r in rows
        if (source is None or r["source"] == source) and (quantity is None or r["quantity"] == quantity)
    ]


@functools.lru_cache(maxsize=None)
def cached_simulation(preset, **kwargs):
    import ssbsim

    return ssbsim.simulate(preset, **kwargs)


@pytest.fixture(scope="session")
def simulate_cached():
    """ssbsim.simulate with results cached across tests (identical calls solve once)."""
    return lambda preset, **kw: cached_simulation(preset, **kw)
