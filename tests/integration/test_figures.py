"""Figures of a stored sweep, from synthetic records (no PyBaMM solves)."""

import h5py
import numpy as np
import pytest

from ssbsim.simulator.figures import first_cycle, plot_sweep
from ssbsim.simulator.store import StoreError, SweepStore

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MASS_G = 0.02
CURRENT_A = 4e-4  # about C/10 for 0.02 g at 200 mAh/g
BINDERS = ("PVDF", "NBR")
PRESSURES = (10.0, 35.0, 70.0)
STEMS = ("voltage_profiles", "capacity_vs_pressure", "contact_and_pressure")


def synthetic_series(binder, pressure, mechanics=True):
    """A cathode half cell's first cycle: CC-CV charge, rest, CC discharge (PyBaMM signs)."""
    loss = 0.25 * np.exp(-pressure / 30) + (0.05 if binder == "PVDF" else 0.0)
    q_ch = 200.0 * (1 - 0.5 * loss)  # mAh/g of the CC charge
    t_cc = q_ch * MASS_G * 3.6 / CURRENT_A
    u = np.linspace(0, 1, 80)
    t1, i1 = u * t_cc, np.full_like(u, -CURRENT_A)
    v1 = 3.7 + 0.1 * loss + (0.45 - 0.1 * loss) * u + 0.15 * u**8  # to 4.3 V
    tau = 1800.0
    s = np.linspace(0, 4 * tau, 40)
    t2, i2, v2 = t_cc + s, -CURRENT_A * np.exp(-s / tau), np.full_like(s, 4.3)
    t3 = t2[-1] + np.linspace(0, 600, 5)
    i3, v3 = np.zeros(5), 4.3 - 0.1 * (1 - np.exp(-np.linspace(0, 3, 5)))
    q_dis = 185.0 * (1 - loss)
    y = np.linspace(0, 1, 80)
    t4 = t3[-1] + y * q_dis * MASS_G * 3.6 / CURRENT_A
    i4, v4 = np.full_like(y, CURRENT_A), 4.2 - 0.3 * y - 0.9 * y**12 - 0.2 * loss
    t, i, v = (np.concatenate(a) for a in ((t1, t2, t3, t4), (i1, i2, i3, i4), (v1, v2, v3, v4)))
    # as sweep.py stores it: PyBaMM's discharge-capacity counter per gram (falls on charge)
    dq = 0.5 * (i[1:] + i[:-1]) * np.diff(t) / 3.6 / MASS_G
    series = {"time_s": t, "current_A": i, "voltage_V": v, "voltage_vs_counter_V": v,
              "capacity_mAh_g": np.concatenate([[0.0], np.cumsum(dq)])}
    if mechanics:
        x = t / t[-1]
        series |= {
            "contact_fraction": 1 - (0.1 + loss) * x, "isolated_fraction": 0.3 * loss * x,
            "porosity": 0.2 + 0.02 * x, "interface_contact_fraction": 1 - 0.5 * loss * x,
            "stack_pressure_change_MPa": 3.0 * np.sin(np.pi * x) * (1 + pressure / 70),
            "thickness_change_um": 0.5 * np.sin(np.pi * x),
        }
    return series


def _summary(series):
    t, i = series["time_s"], series["current_A"]
    q = {}
    for sign in (-1, 1):
        j = np.where(np.sign(i) == sign, np.abs(i), 0.0)
        q[sign] = float(np.sum(0.5 * (j[1:] + j[:-1]) * np.diff(t))) / 3.6 / MASS_G
    out = {"charge_capacity_mAh_g": q[-1], "discharge_capacity_mAh_g": q[1],
           "coulombic_efficiency": q[1] / q[-1], "notes": []}
    if "contact_fraction" in series:
        out |= {"final_contact_fraction": float(series["contact_fraction"][-1]),
                "max_stack_pressure_change_MPa": float(series["stack_pressure_change_MPa"].max())}
    return out


def conditions(binder, pressure, mechanics=True, c_rate=0.1):
    return {"preset": "Kwon2022", "model": "SPMe", "binder": binder, "process": "wet",
            "binder_content_wt_pct": 3.0, "pressure_MPa": pressure, "c_rate": c_rate,
            "temperature_C": 25.0, "cycles": 1, "mechanics": mechanics}


def make_store(path, mechanics=True, c_rates=(0.1,), failed=("PVDF", 35.0)):
    """2 binders x 3 pressures (per C-rate); the ``failed`` case failed."""
    grid = [(b, p, c) for c in c_rates for b in BINDERS for p in PRESSURES]
    store = SweepStore(path, grid_hash="test-grid", n_cases=len(grid), version="0.1.0")
    for b, p, c in grid:
        name = f"{b}_{p:g}MPa_{c:g}C"
        cond = conditions(b, p, mechanics, c)
        if (b, p) == failed:
            store.write_case(name, {"key": name, "conditions": cond, "status": "failed",
                                    "error": "SimulationError: solver failed at t=3.2 h"})
            continue
        s = synthetic_series(b, p, mechanics)
        store.write_case(name, {"key": name, "conditions": cond, "status": "ok",
                                "summary": _summary(s), "series": s})
    return path


def check_files(files, directory, stems, prefix="", formats=("png", "svg")):
    expected = {directory / f"{prefix}{s}.{f}" for s in stems for f in formats}
    assert set(files) == expected and len(files) == len(expected)
    for f in files:
        data = f.read_bytes()
        assert len(data) > 1000, f
        if f.suffix == ".png":
            assert data.startswith(PNG_SIGNATURE), f
        else:
            assert b"<svg" in data[:2000], f


def test_plot_sweep_writes_six_figures_beside_the_file(tmp_path):
    path = make_store(tmp_path / "sweep.h5")
    files = plot_sweep(path)
    check_files(files, tmp_path, STEMS)


def test_out_dir_formats_and_prefix_for_other_file_names(tmp_path):
    path = make_store(tmp_path / "kwon_sweep.h5")
    out = tmp_path / "figs"
    files = plot_sweep(path, out_dir=out, formats=("png",))
    check_files(files, out, STEMS, prefix="kwon_sweep.", formats=("png",))


def test_without_mechanics_the_contact_figure_is_skipped(tmp_path):
    path = make_store(tmp_path / "sweep.h5", mechanics=False, failed=None)
    files = plot_sweep(path)
    check_files(files, tmp_path, STEMS[:2])


def test_one_voltage_figure_per_c_rate(tmp_path):
    path = make_store(tmp_path / "sweep.h5", c_rates=(0.1, 1.0))
    files = plot_sweep(path, formats=("png",))
    check_files(files, tmp_path, ("voltage_profiles_0.1C", "voltage_profiles_1C", *STEMS[1:]),
                formats=("png",))


def test_all_cases_failed_writes_nothing(tmp_path):
    path = tmp_path / "sweep.h5"
    store = SweepStore(path, grid_hash="g", n_cases=1, version="0.1.0")
    store.write_case("a", {"key": "a", "conditions": conditions("PVDF", 70.0), "status": "failed",
                           "error": "boom"})
    assert plot_sweep(path) == []


def test_first_cycle_capacity_axis():
    s = synthetic_series("NBR", 70.0)
    case = _summary(s)
    dq = np.abs(np.diff(s["capacity_mAh_g"]))
    cumulative = dict(s, capacity_mAh_g=np.concatenate([[0.0], np.cumsum(dq)]))
    # the signed counter, and a cumulative |charge| counter, read the same
    for variant in (s, cumulative):
        stored = first_cycle(variant, dict(case, active_mass_g=1.0))  # mass unused here
        assert set(stored) == {"charge", "discharge"}
        for half in stored:  # the stored capacity series, from zero to the scalar
            x, v = stored[half]
            assert x[0] == 0 and np.all(np.diff(x) >= 0) and len(x) == len(v)
            assert x[-1] == pytest.approx(case[f"{half}_capacity_mAh_g"], rel=1e-9)
    # charge is CC + CV (not the rest), discharge starts at the top of charge
    assert stored["charge"][1][-1] == pytest.approx(4.3)
    assert stored["discharge"][1][0] == pytest.approx(4.2, abs=0.05)

    # a capacity series that is flat on discharge does not behave there: integrate |I| dt,
    # scaled so the discharge ends at its scalar (the charge, where it behaves, is kept)
    broken = dict(s, capacity_mAh_g=np.where(s["current_A"] < 0, s["capacity_mAh_g"], 0.0))
    assert first_cycle(broken, case)["charge"][0][-1] == pytest.approx(case["charge_capacity_mAh_g"])
    fallback = first_cycle(broken, dict(case, discharge_capacity_mAh_g=150.0))
    assert fallback["discharge"][0][-1] == pytest.approx(150.0)
    assert fallback["charge"][0][-1] == pytest.approx(case["charge_capacity_mAh_g"])
    # without the series both half-cycles share the factor (one unknown active mass)
    missing = {k: v for k, v in s.items() if k != "capacity_mAh_g"}
    fallback = first_cycle(missing, dict(case, discharge_capacity_mAh_g=150.0))
    ratio = case["charge_capacity_mAh_g"] / case["discharge_capacity_mAh_g"]
    assert fallback["discharge"][0][-1] == pytest.approx(150.0)
    assert fallback["charge"][0][-1] == pytest.approx(150.0 * ratio)
    with_mass = first_cycle(broken, dict(case, active_mass_g=MASS_G / 2))
    assert with_mass["discharge"][0][-1] == pytest.approx(2 * case["discharge_capacity_mAh_g"])
    assert first_cycle({}, case) == {}


def test_first_cycle_of_several_cycles_is_the_first():
    s = synthetic_series("NBR", 70.0, mechanics=False)
    t, n = s["time_s"], len(s["time_s"])
    two = {k: np.concatenate([v, v]) for k, v in s.items()}
    two["time_s"] = np.concatenate([t, t[-1] + t])
    two["capacity_mAh_g"] = np.concatenate([s["capacity_mAh_g"], s["capacity_mAh_g"][-1] + s["capacity_mAh_g"]])
    case = _summary(s)  # first-cycle scalars
    one, first = first_cycle(s, case), first_cycle(two, case)
    for half in one:
        np.testing.assert_allclose(first[half][0], one[half][0])
        assert len(first[half][1]) <= n


@pytest.mark.parametrize("kind, message", [
    ("foreign_hdf5", "not an ssbsim sweep"),
    ("text", "not a readable HDF5 file"),
    ("missing", "does not exist"),
])
def test_not_a_sweep_raises_store_error(tmp_path, kind, message):
    path = tmp_path / "data.h5"
    if kind == "foreign_hdf5":
        with h5py.File(path, "w") as f:
            f.create_dataset("x", data=np.arange(3.0))
    elif kind == "text":
        path.write_text("time,voltage\n0,3.7\n")
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(StoreError, match=message):
        plot_sweep(path, out_dir=tmp_path / "figs")
    assert (path.read_bytes() if path.exists() else None) == before
    assert not (tmp_path / "figs").exists()


def test_figures_say_what_a_reader_needs(tmp_path):
    """For a real preset: pressure on a log axis with the paper's measured points in
    the binder's colour, the voltage reference on the axis, charge and discharge told
    apart (thin / thick) and each pressure its own line style."""
    from ssbsim.simulator import figures

    path = tmp_path / "sweep.h5"
    store = SweepStore(path, grid_hash="g", n_cases=4, version="0.1.0")
    for b in ("pristine", "vulcanized"):
        for p in (2.0, 7.0, 70.0):
            s = synthetic_series("NBR", p)
            cond = conditions(b, p) | {"preset": "kwon2022", "temperature_C": 30.0}
            store.write_case(f"{b}{p:g}", {"key": f"{b}{p:g}", "conditions": cond, "status": "ok",
                                           "summary": _summary(s), "series": s})
    ok = store.read()
    series = {c["name"]: store.series(c["name"]) for c in ok}
    (_, cap_fig), = figures._capacity_vs_pressure(ok, (), ("binder",))
    ax = cap_fig.axes[0]
    assert ax.get_xscale() == "log" and "kwon2022, 0.1C" in ax.get_title()
    measured = {tuple(xy) for coll in ax.collections for xy in coll.get_offsets()}
    assert {(2.0, 151.0), (70.0, 171.0), (2.0, 165.0), (70.0, 172.0)} <= measured  # Kwon 2022
    # constants were fitted on all four (E_f, eta at 2 MPa; NCM's scale s at 70 MPa): the
    # figure says so rather than showing them as predictions
    labels = {coll.get_label() for coll in ax.collections}
    assert labels == {"measured, calibration row: pristine", "measured, calibration row: vulcanized"}
    assert "a constant was fitted on it" in ax.get_title()
    (_, v_fig), = figures._voltage_profiles(ok, series, (), ("binder",))
    ax = v_fig.axes[0]
    assert "vs Li/Li+" in ax.get_ylabel()
    lines = [ln for ln in ax.lines if len(ln.get_xdata()) > 2]
    assert len({ln.get_linewidth() for ln in lines}) == 2  # charge thin, discharge thick
    assert len({ln.get_linestyle() for ln in lines}) == 3  # one per pressure
