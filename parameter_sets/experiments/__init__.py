"""The papers' experiments as data: one TOML file per paper, beside the parameter sets.

Each file holds the paper's named protocols (``[protocols.<name>]``, for one preset:
formation, rate blocks, long cycling in the structure of
:mod:`ssbsim.simulator.protocol`) and its catalogue of measurements (``[[experiments]]``:
the cell, conditions, protocol, which row of ``calibration_points.csv`` holds the
measured value, the tolerance and how to derive the quantity from a simulation), read
by :mod:`ssbsim.simulator.catalogue`. Measured material inputs are listed under
``[[inputs]]`` (the constants they set are in :mod:`ssbsim.parameter_sets.provenance`).
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

HERE = Path(__file__).parent
PAPERS = ("kwon2022", "jo2024", "emley2023", "choi2025", "kimkwonjung2022")


@functools.cache
def load(paper: str) -> dict:
    """The parsed experiments file of ``paper`` (e.g. ``"kwon2022"``)."""
    with open(HERE / f"{paper}.toml", "rb") as fh:
        return tomllib.load(fh)


def protocols(paper: str, preset: str) -> dict:
    """The named protocols of ``paper`` for ``preset`` as validated Protocol objects."""
    from ssbsim.simulator.protocol import Protocol

    out = {}
    for name, doc in load(paper).get("protocols", {}).items():
        if doc.get("preset") == preset:
            body = {k: v for k, v in doc.items() if k != "preset"}
            out[name] = Protocol.from_dict(body, f"{paper}.toml, protocol {name!r}", name=name)
    return out
