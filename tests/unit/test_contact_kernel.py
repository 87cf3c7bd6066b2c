"""The numba contact kernel (``models.contact_kernel``) against its NumPy reference
(``models.contact_law``), and the physics a user relies on."""

import dataclasses

import numba
import numpy as np
import pytest

from ssbsim.models import contact_ensemble as ens
from ssbsim.models import contact_law as law
from ssbsim.models import layer_decohesion as decohesion
from ssbsim.models.contact_kernel import advance_ensemble, advance_grouped, aggregate_ensemble

PARAMS = law.ContactLawParameters(
    creep_velocity_m_s=2e-11, creep_exponent=2.0, creep_activation_energy_J_mol=3.7e4, framework_modulus_Pa=1e8,
    closure_exponent=2 / 3, coordination_number=1.0, isolation_rate_s=1e-3, void_coefficient=0.05,
)
DT = 10.0  # s
STEPS = 300
MPA = 1e6
RTOL = 1e-10
# "Near zero" floors of the 1e-10 comparison: relative above them, absolute below.
FLOOR = {"c": 1e-9, "d": 1e-9, "v": 1e-9, "g": 1e-9, "z": 1.0, "w": 1.0, "phi": 1.0}  # m, m, m, m, -, -, -
AGGREGATES = ("isolated_fraction", "contact_fraction", "void_per_am_volume")


def radii(n=2000, seed=20240601):
    """Lognormal radius ensemble: median 5 um, sigma 0.3."""
    return 5e-6 * np.exp(0.3 * np.random.default_rng(seed).standard_normal(n))


R = radii()
WEIGHTS = np.ones_like(R)


def ncm_strain(m=STEPS):
    """NCM-like: shrinks by 1.7 % (radial) and re-expands to the fabrication size."""
    return np.concatenate([np.linspace(0.0, -0.017, m // 2), np.linspace(-0.017, 0.0, m - m // 2)])


def si_strain(m=STEPS):
    """Si-like: expands by 50 % beyond its fabrication size, then shrinks back to 5 %."""
    return np.concatenate([np.linspace(0.0, 0.5, m // 2), np.linspace(0.5, 0.05, m - m // 2)])


def drivers(s, pressure_Pa, chi=1.0, dt=DT):
    s_max, _ = ens.running_max_series(s, 0.0, dt, PARAMS)
    return s, s_max, np.full(s.shape, float(pressure_Pa)), np.full(s.shape, float(chi))


def run(advance, s, pressure_Pa, chi=1.0, params=PARAMS, dt=DT):
    """Advance a fresh ensemble by steps of ``dt``; returns the states, phi, g and the
    aggregates."""
    c, d, v, z, w = (np.zeros_like(R) for _ in range(5))
    phi, g = advance(R, c, d, v, z, w, *drivers(s, pressure_Pa, chi, dt), dt, params)
    out = {"c": c, "d": d, "v": v, "z": z, "w": w, "phi": phi, "g": g}
    out.update(ens.aggregate(R, WEIGHTS, z, phi, g, v))
    return out


def run_kernel(s, pressure_Pa, chi=1.0):
    out = run(advance_ensemble, s, pressure_Pa, chi)
    agg = aggregate_ensemble(R, WEIGHTS, out["z"], out["phi"], out["g"], out["v"])
    out.update(zip(AGGREGATES, agg))
    return out


SCENARIOS = {
    "ncm-0MPa": (ncm_strain, 0.0),
    "ncm-2MPa": (ncm_strain, 2 * MPA),
    "ncm-70MPa": (ncm_strain, 70 * MPA),
    "si-2MPa": (si_strain, 2 * MPA),
    "si-70MPa": (si_strain, 70 * MPA),
}


@pytest.mark.parametrize("params_form", ["dataclass", "array"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_numba_matches_numpy(scenario, params_form):
    strain, pressure = SCENARIOS[scenario]
    ref = run(ens.advance_ensemble_numpy, strain(), pressure)
    got = run(advance_ensemble, strain(), pressure,
              params=PARAMS if params_form == "dataclass" else PARAMS.as_array())
    for name, floor in FLOOR.items():
        np.testing.assert_allclose(got[name], ref[name], rtol=RTOL, atol=RTOL * floor, err_msg=name)
    agg = aggregate_ensemble(R, WEIGHTS, got["z"], got["phi"], got["g"], got["v"])
    for name, value in zip(AGGREGATES, agg):
        assert value == pytest.approx(ref[name], rel=RTOL, abs=RTOL), name
    if scenario.startswith("si"):  # the push-back / damage branch was exercised
        assert ref["v"].max() > 1e-7  # void nucleated (at 70 MPa creep then heals d)
    if scenario == "si-2MPa":
        assert ref["d"].max() > 1e-10


LAYER_MODULUS_PA = 5e9


def layer_zeta(s, pressure_Pa, fracture_energy_J_m2=20.0, thickness_m=20e-6, volume_fraction=0.5):
    """The layer's decohered fraction per step for a swelling strain series (a layer half
    made of the swelling phase, so that it cracks)."""
    return decohesion.decohered_fraction_of_strain(s, pressure_Pa, LAYER_MODULUS_PA, thickness_m,
                                                   fracture_energy_J_m2, 0.05, volume_fraction)


@pytest.mark.parametrize("pressure", [2 * MPA, 70 * MPA])
def test_numba_matches_numpy_with_layer_decohesion(pressure):
    """A swelling (Si-like) ensemble whose layer cracks: isolation follows zeta in both twins."""
    s, s_max, P, chi = drivers(si_strain(), pressure)
    zeta = layer_zeta(s, pressure)
    assert zeta[0] == 0.0 and 0.99 < zeta.max()  # no crack at fabrication, then a full one
    out = {}
    for name, advance in (("numpy", ens.advance_ensemble_numpy), ("numba", advance_ensemble)):
        c, d, v, z, w = (np.zeros_like(R) for _ in range(5))
        phi, g = advance(R, c, d, v, z, w, s, s_max, P, chi, DT, PARAMS, zeta=zeta)
        out[name] = {"c": c, "d": d, "v": v, "z": z, "w": w, "phi": phi, "g": g}
    for name, floor in FLOOR.items():
        np.testing.assert_allclose(out["numba"][name], out["numpy"][name], rtol=RTOL, atol=RTOL * floor,
                                   err_msg=name)
    # isolation follows zeta at the isolation rate, dz/dt = r_iso (zeta - z), up to the
    # 1e-6 smoothing of relu_h, on top of what contact alone cuts off (at 70 MPa: < 1 %)
    expected = 0.0
    for zk in zeta:
        expected += DT * PARAMS.isolation_rate_s * max(zk - expected, 0.0)
    without = run_kernel(si_strain(), pressure)
    assert np.all(out["numpy"]["z"] >= expected - 1e-5) and expected > 0.9
    if pressure == 70 * MPA:
        assert without["isolated_fraction"] < 1e-2
        assert np.all(out["numpy"]["z"] <= expected + without["z"].max() + 1e-5)


def test_zero_zeta_is_the_law_without_layer_cracks():
    s, s_max, P, chi = drivers(si_strain(), 2 * MPA)
    states = []
    for zeta in (None, np.zeros_like(s)):
        c, d, v, z, w = (np.zeros_like(R) for _ in range(5))
        phi, g = advance_ensemble(R, c, d, v, z, w, s, s_max, P, chi, DT, PARAMS, zeta=zeta)
        states.append((c, d, v, z, phi, g))
    for a, b in zip(*states):
        np.testing.assert_array_equal(a, b)


def test_numba_matches_numpy_where_z_is_clamped():
    """dt r_iso > 1 makes Euler overshoot z = 1 where the layer cracks through: both
    clip it with min(z, 1)."""
    params = dataclasses.replace(PARAMS, isolation_rate_s=0.3)
    s, s_max, P, chi = drivers(si_strain(), 2 * MPA)
    zeta = layer_zeta(s, 2 * MPA)
    out = []
    for advance in (ens.advance_ensemble_numpy, advance_ensemble):
        c, d, v, z, w = (np.zeros_like(R) for _ in range(5))
        phi, g = advance(R, c, d, v, z, w, s, s_max, P, chi, DT, params, zeta=zeta)
        out.append({"c": c, "d": d, "v": v, "z": z, "w": w, "phi": phi, "g": g})
    ref, got = out
    assert np.all(ref["z"] == 1.0)
    for name, floor in FLOOR.items():
        np.testing.assert_allclose(got[name], ref[name], rtol=RTOL, atol=RTOL * floor, err_msg=name)


def test_aggregate_matches_numpy_with_weights():
    rng = np.random.default_rng(1)
    z, phi = rng.uniform(0, 1, R.size), rng.uniform(0, 1, R.size)
    g, v, w = rng.uniform(0, 1e-8, R.size), rng.uniform(0, 1e-8, R.size), rng.uniform(0.1, 3, R.size)
    ref = ens.aggregate(R, w, z, phi, g, v)
    for name, value in zip(AGGREGATES, aggregate_ensemble(R, w, z, phi, g, v)):
        assert value == pytest.approx(ref[name], rel=RTOL), name


def test_stepwise_equals_one_call_and_void_never_decreases():
    """Calling the kernel step by step gives the same result; v never decreases."""
    s, s_max, P, chi = drivers(si_strain(), 7 * MPA)
    whole = run_kernel(s, 7 * MPA)
    c, d, v, z, w = (np.zeros_like(R) for _ in range(5))
    for k in range(s.size):
        v_before = v.copy()
        phi, g = advance_ensemble(R, c, d, v, z, w, s[k:k + 1], s_max[k:k + 1], P[k:k + 1],
                                  chi[k:k + 1], DT, PARAMS)
        assert np.all(v >= v_before), f"void decreased at step {k}"
    assert v.max() > 1e-7  # the void did grow
    for name, value in {"c": c, "d": d, "v": v, "z": z, "w": w, "phi": phi, "g": g}.items():
        np.testing.assert_array_equal(value, whole[name], err_msg=name)


@pytest.mark.parametrize("strain", [ncm_strain, si_strain])
@pytest.mark.parametrize("pressure", [0.0, 2 * MPA, 70 * MPA])
def test_fractions_stay_in_unit_interval(strain, pressure):
    out = run_kernel(strain(), pressure)
    for name in ("z", "phi"):
        assert np.all((out[name] >= 0.0) & (out[name] <= 1.0)), name
    for name in ("isolated_fraction", "contact_fraction"):
        assert 0.0 <= out[name] <= 1.0, name


@pytest.mark.parametrize("strain", [ncm_strain, si_strain])
def test_more_pressure_never_less_contact(strain):
    """Up to the largest misfit (top of charge for NCM, full swelling for Si); beyond it,
    pushing crept-in SE back leaves damage that grows with how much crept in."""
    runs = [run_kernel(strain()[:STEPS // 2], p * MPA) for p in (0.0, 2.0, 7.0, 70.0)]
    for low, high in zip(runs, runs[1:]):
        # (the aggregate contact fraction is over the *connected* surface, which loses its
        # worst-contacted particles to isolation as pressure falls: not monotone by itself)
        assert high["phi"].mean() >= low["phi"].mean() - 1e-12
        assert high["isolated_fraction"] <= low["isolated_fraction"] + 1e-12


@pytest.mark.parametrize("pressure", [0.0, 2 * MPA, 70 * MPA])
def test_zero_strain_keeps_full_contact(pressure):
    """No strain, no gap: phi = 1 exactly, no isolation, no void."""
    out = run_kernel(np.zeros(STEPS), pressure)
    assert np.all(out["phi"] == 1.0)
    assert np.all(out["z"] == 0.0) and np.all(out["v"] == 0.0)


def test_no_binder_void_without_nucleation():
    """chi = 0: no void, even where the particle pushes the SE back (Si)."""
    for strain in (ncm_strain, si_strain):
        assert np.all(run_kernel(strain(), 7 * MPA, chi=0.0)["v"] == 0.0)


def test_rearrangement_isolates_only_where_the_binder_bridges_break():
    """Force-chain rearrangement isolates a share rho chi per unit radial strain: with
    chi = 0 (bridges that never break) four NCM cycles isolate exactly what the law
    without rearrangement isolates, and the isolated fraction grows with chi (a less
    cohesive binder)."""
    s = np.tile(ncm_strain(), 4)
    rearranging = dataclasses.replace(PARAMS, rearrangement_per_strain=20.0)
    z = {chi: run(advance_ensemble, s, 2 * MPA, chi, rearranging)["isolated_fraction"] for chi in (0.0, 0.3, 1.0)}
    assert z[0.0] == run(advance_ensemble, s, 2 * MPA, 0.0)["isolated_fraction"]
    assert z[0.3] > z[0.0] + 0.001 and z[1.0] > z[0.3] + 0.003, z  # 0.0019 and 0.0067 here


@pytest.mark.parametrize("pressure", [2 * MPA, 7 * MPA, 70 * MPA])
def test_isolation_does_not_depend_on_the_step_where_creep_outpaces_the_strain(pressure):
    """Three NCM cycles with a 200x slower creep than PARAMS' (so that isolation survives
    its reconnection at low pressure): the isolated fraction at the 10 s step is within
    5 % of a 40x finer step's (15.4 / 5.4 % at 2 / 7 MPa; ~1e-14 at 70 MPa, where creep
    closes every gap within the step). Each step's strain opens a gap R |ds| that creep
    closes within it; a scheme that isolated on the gap the step starts with read
    66 % / 100x / 160x too much at 10 s, and one that reconnected explicitly read 2x-40x
    too much (the reconnection rate grows without bound as the gap closes)."""
    slow = dataclasses.replace(PARAMS, creep_velocity_m_s=1e-13)

    def isolated(dt):
        s = np.tile(ncm_strain(int(STEPS * DT / dt)), 3)
        return run(advance_ensemble, s, pressure, params=slow, dt=dt)["isolated_fraction"]

    coarse, fine = isolated(DT), isolated(DT / 40)
    assert fine > (0.01 if pressure < 10 * MPA else 0.0)
    assert coarse == pytest.approx(fine, rel=0.05)


def test_thread_count_does_not_change_results():
    expected = run_kernel(si_strain(), 7 * MPA)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        got = run_kernel(si_strain(), 7 * MPA)
    finally:
        numba.set_num_threads(threads)
    for name in ("c", "d", "v", "z", "phi", "g"):
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)


def _args():
    s, s_max, P, chi = drivers(ncm_strain(10), 2 * MPA)
    return dict(R=R.copy(), c=np.zeros_like(R), d=np.zeros_like(R), v=np.zeros_like(R),
                z=np.zeros_like(R), w=np.zeros_like(R), s=s, s_max=s_max, P_eff=P, chi=chi, dt=DT, params=PARAMS)


@pytest.mark.parametrize("name, bad", [
    ("c", lambda a: a["c"][:-1]),  # mismatched length
    ("z", lambda a: np.zeros(R.size + 1)),
    ("s_max", lambda a: a["s_max"][:-1]),
    ("R", lambda a: a["R"].astype(np.float32)),  # wrong dtype
    ("v", lambda a: np.zeros(2 * R.size)[::2]),  # not contiguous
    ("P_eff", lambda a: list(a["P_eff"])),  # not an array
    ("d", lambda a: a["c"]),  # aliases c
    ("params", lambda a: PARAMS.as_array()[:-1]),
    ("dt", lambda a: -1.0),
    ("zeta", lambda a: a["s"][:-1]),
])
def test_bad_input_names_the_argument(name, bad):
    args = _args()
    args[name] = bad(args)
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        advance_ensemble(**args)


def test_no_steps_and_bad_aggregate_input():
    args = _args()
    args.update(s=np.zeros(0), s_max=np.zeros(0), P_eff=np.zeros(0), chi=np.zeros(0))
    with pytest.raises(ValueError, match=r"^s\b"):
        advance_ensemble(**args)
    with pytest.raises(ValueError, match=r"^weights\b"):
        aggregate_ensemble(R, WEIGHTS[:-1], R, R, R, R)


def test_python_loop_matches_numpy():
    """The pure-Python executor of the law (the benchmarks' reference loop) = NumPy."""
    r = R[:50].copy()
    s, s_max, P, chi = drivers(si_strain(60), 7 * MPA)
    out = []
    for advance in (ens.advance_ensemble_numpy, ens.advance_ensemble_python):
        c, d, v, z, w = (np.zeros_like(r) for _ in range(5))
        advance(r, c, d, v, z, w, s, s_max, P, chi, DT, PARAMS)
        out.append((c, d, v, z, w))
    for a, b, floor in zip(*out, (1e-9, 1e-9, 1e-9, 1.0, 1.0)):
        np.testing.assert_allclose(b, a, rtol=RTOL, atol=RTOL * floor)
    assert out[0][2].max() > 1e-7  # the void branch ran


def test_grouped_particles_move_as_each_group_alone():
    """``advance_grouped``: particles driven by their group's strain row end exactly where
    one ``advance_ensemble`` call per group puts them (the same law, the same steps)."""
    rows = [ncm_strain(), 0.5 * ncm_strain(), si_strain()]
    P = np.full(STEPS, 2 * MPA)
    chi = np.full(STEPS, 0.5)
    Rg = R[:60].copy()
    group = np.arange(60) % 3
    drv = {}
    for q in ("s", "s_max", "zeta", "s_rate"):
        drv[q] = np.empty((3, STEPS))
    for j, s in enumerate(rows):
        drv["s"][j] = s
        drv["s_max"][j] = ens.running_max_series(s, 0.0, DT, PARAMS)[0]
        drv["zeta"][j] = 0.1 * np.abs(s)
        drv["s_rate"][j] = ens.strain_rate_series(s, DT)
    grouped = [np.zeros(60) for _ in range(5)]
    advance_grouped(Rg, *grouped, group, drv["s"], drv["s_max"], P, chi, drv["zeta"], drv["s_rate"], DT, PARAMS,
                    303.15)
    for j in range(3):
        alone = [np.zeros(20) for _ in range(5)]
        advance_ensemble(Rg[group == j].copy(), *alone, drv["s"][j].copy(), drv["s_max"][j].copy(), P, chi, DT,
                         PARAMS, zeta=drv["zeta"][j].copy(), T=303.15, s_rate=drv["s_rate"][j].copy())
        for a, b in zip(alone, grouped):
            assert np.array_equal(a, b[group == j])
    assert np.ptp(grouped[2]) > 0  # the groups void differently


def test_the_kernels_cache_is_keyed_on_the_law_they_inline(monkeypatch, tmp_path):
    """numba keys a cached kernel on its own file only: the cache folder is named after a
    hash of every file the kernels inline (a changed law must not load an old kernel),
    numba's process-wide cache setting is left as it was, and where the folder cannot be
    written the kernel is not cached at all (numba would fall back to its own file's key)."""
    import numba

    from ssbsim.models import contact_kernel, contact_law

    sources = contact_kernel._kernel_sources()
    assert {contact_kernel.__file__, contact_law.__file__} <= set(sources)
    assert any(f.endswith("contact_isolation.py") for f in sources)
    monkeypatch.setenv("SSBSIM_NUMBA_CACHE", str(tmp_path))
    folder = contact_kernel._law_cache_dir()
    assert folder.parent == tmp_path and len(folder.name) == 16
    before = numba.config.CACHE_DIR

    def twice(x):
        return 2.0 * x

    kernel = contact_kernel._cached_njit()(twice)
    assert kernel._cache._cache_path.startswith(str(folder)) and numba.config.CACHE_DIR == before
    assert kernel(2.0) == 4.0 and any(folder.rglob("*.nbi"))
    monkeypatch.setattr(contact_kernel, "_kernel_sources", lambda: sources + [__file__])  # another source
    assert contact_kernel._law_cache_dir().name != folder.name
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("SSBSIM_NUMBA_CACHE", str(tmp_path / "file"))  # a folder that cannot be made
    uncached = contact_kernel._cached_njit()(twice)
    assert type(uncached._cache).__name__ == "NullCache" and uncached(2.0) == 4.0
