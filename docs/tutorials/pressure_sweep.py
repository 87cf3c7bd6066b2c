"""Pressure sweep: Kwon 2022's half cell, pristine vs vulcanized BR, at 70 and 2 MPa."""
import csv

import ssbsim

report = ssbsim.sweep(
    presets=["kwon2022"], binders=["pristine", "vulcanized"], pressures=[70, 2],
    model="SPM",            # seconds; the seed study (`ssbsim sweep`) runs the DFN
    out="pressures/sweep.h5", workers=1, figures=False,
)
with open("pressures/summary.csv", newline="") as fh:
    rows = list(csv.DictReader(fh))
for row in rows:
    print(row["binder"], row["pressure_MPa"], "MPa:",
          round(float(row["discharge_capacity_mAh_g"]), 1), "mAh/g")

capacity = {(r["binder"], float(r["pressure_MPa"])): float(r["discharge_capacity_mAh_g"])
            for r in rows}
# Contact loss at low pressure costs capacity; the vulcanized network holds more of it.
assert capacity["pristine", 2.0] < capacity["pristine", 70.0]
assert capacity["vulcanized", 2.0] > capacity["pristine", 2.0]
