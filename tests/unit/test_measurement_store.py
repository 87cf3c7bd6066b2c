"""Virtual measurements in HDF5: a run per group, read back as written; foreign files refused."""

import h5py
import pytest

from ssbsim.simulator.measurement_store import read_measurement, write_measurement
from ssbsim.simulator.store import StoreError

DCIR = {"measurement": "DC-IR", "conditions": {"preset": "jo2024-cathode", "pressure_MPa": 75.0, "binder": "nbr"},
        "soc": 0.5, "pulse_s": 10.0, "resistance_Ohm": 144.2, "intercept_V": 1e-4,
        "pulses": [{"c_rate": 0.025, "current_A": 5e-5, "delta_V": 0.007},
                   {"c_rate": 1.0, "current_A": 2e-3, "delta_V": 0.29}]}
EIS = {"measurement": "EIS", "conditions": {"preset": "kwon2022"}, "frequency_Hz": [0.1, 1.0, 10.0],
       "Z_real_Ohm": [120.0, 95.5, 30.25], "Z_imag_Ohm": [-3.0, -20.0, -11.0], "notes": [], "arc_band_Hz": [0.1, 1e5]}


def test_runs_are_appended_and_read_back_as_written(tmp_path):
    path = tmp_path / "lab.h5"
    first, second = write_measurement(path, DCIR), write_measurement(path, DCIR | {"soc": 0.8})
    eis = write_measurement(path, EIS)
    assert (first, second, eis) == ("/DC-IR/run_001", "/DC-IR/run_002", "/EIS/run_001")
    assert read_measurement(path, first) == DCIR
    assert read_measurement(path, second)["soc"] == 0.8
    assert read_measurement(path, eis) == EIS
    with h5py.File(path, "r") as f:  # arrays are datasets, not text
        assert f["EIS/run_001/Z_real_Ohm"].shape == (3,) and f["DC-IR/run_001/pulses/delta_V"][1] == 0.29


def test_a_foreign_file_is_refused_and_left_alone(tmp_path):
    other = tmp_path / "sweep.h5"
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "ssbsim-sweep"
    with pytest.raises(StoreError, match="not an ssbsim measurements file"):
        write_measurement(other, DCIR)
    with h5py.File(other, "r") as f:
        assert list(f) == [] and f.attrs["format"] == "ssbsim-sweep"
    text = tmp_path / "notes.h5"
    text.write_text("not hdf5")
    with pytest.raises(StoreError, match="not an HDF5 file"):
        write_measurement(text, DCIR)
