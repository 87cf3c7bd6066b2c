"""Geometry set through ``parameters=`` / ``--params`` / ``fit --param``: the active mass and
the 1C current follow it, the values derived from it cannot be set, and an electrode
cannot be overfilled. Fast: no solves."""

import json

import pytest

from ssbsim.parameter_sets import choi2025, jo2024, kwon2022
from ssbsim.simulator.case_result import electrode_properties
from ssbsim.simulator.conditions import Conditions, parameter_values
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.fit_inputs import FitParameter
from ssbsim.simulator.fitting import check_fit_parameters
from ssbsim.simulator.params_file import load_parameters

Q = "Nominal cell capacity [A.h]"
POS_L = "Positive electrode thickness [m]"
POS_EPS = "Positive electrode active material volume fraction"
#: preset -> the paper's 1C definition [mAh per g of working active material]
ONE_C = {"kwon2022": kwon2022.ONE_C_MAH_G, "kwon2022-pouch": kwon2022.ONE_C_MAH_G,
         "jo2024-cathode": jo2024.CATHODE_1C_MAH_G, "jo2024-anode": jo2024.ANODE_1C_MAH_G,
         "jo2024-full": jo2024.CATHODE_1C_MAH_G, "choi2025": choi2025.ONE_C_MAH_G}


def _case(preset, **parameters):
    cond = Conditions.resolve(preset, model="SPM", parameters=parameters)
    pv = parameter_values(cond)
    return pv, electrode_properties(cond, pv)["active_mass_g"]


def _one_line(err, *words):
    msg = str(err.value)
    assert "\n" not in msg, msg
    for w in words:
        assert w in msg, (w, msg)


@pytest.mark.parametrize("preset", sorted(ONE_C))
@pytest.mark.parametrize("name, factor", [(POS_L, 2.0), (POS_EPS, 0.8), ("Positive electrode density [kg.m-3]", 1.1),
                                          ("Electrode height [m]", 1.5)])
def test_active_mass_and_1c_follow_the_geometry(preset, name, factor):
    pv0, m0 = _case(preset)
    phases = [k for k in pv0 if k.endswith(name)]  # each phase of a two-phase electrode
    pv, m = _case(preset, **{k: factor * pv0[k] for k in phases})
    assert m == pytest.approx(factor * m0, rel=1e-12)  # every term of L sum_k eps_k rho_k A scales
    # the 1C current is the paper's 1C specific capacity times the active mass
    assert pv[Q] == pytest.approx(ONE_C[preset] * 1e-3 * m, rel=1e-9)
    assert pv0[Q] == pytest.approx(ONE_C[preset] * 1e-3 * m0, rel=1e-9)


@pytest.mark.parametrize("preset, pre", [("choi2025", "Secondary: "), ("jo2024-anode", "Primary: ")])
def test_one_phase_of_a_two_phase_electrode(preset, pre):
    """Only that phase's mass changes: by L eps_k rho_k A times the change of eps_k."""
    pv0, m0 = _case(preset)
    eps = f"{pre}Positive electrode active material volume fraction"
    pv, m = _case(preset, **{eps: 0.5 * pv0[eps]})
    area = pv0["Electrode height [m]"] * pv0["Electrode width [m]"]
    phase_g = pv0[POS_L] * pv0[eps] * pv0[f"{pre}Positive electrode density [kg.m-3]"] * area * 1e3
    assert m == pytest.approx(m0 - 0.5 * phase_g, rel=1e-9)
    assert pv[Q] / pv0[Q] == pytest.approx(m / m0, rel=1e-9)


def test_full_cell_anode_geometry_leaves_the_cathodes_1c():
    pv0, m0 = _case("jo2024-full")
    L = "Negative electrode thickness [m]"
    pv, m = _case("jo2024-full", **{L: 2 * pv0[L]})
    loading = "Negative electrode active material mass loading [kg.m-2]"
    assert pv[loading] == pytest.approx(2 * pv0[loading], rel=1e-12)
    assert pv[Q] == pv0[Q] and m == m0


def test_without_overrides_the_values_are_as_built():
    pv = parameter_values(Conditions.resolve("kwon2022", parameters={"Composite framework modulus [Pa]": 1e9}))
    assert pv[Q] == kwon2022.ONE_C_MAH_G * 1e-3 * kwon2022.CATHODE.active_loading_mg_cm2 * 1e-3 * kwon2022.AREA_CM2
    assert pv["Positive electrode active material mass loading [kg.m-2]"] == 0.08


@pytest.mark.parametrize("name, value", [("Positive electrode active material mass loading [kg.m-2]", 0.1),
                                         ("Negative electrode active material mass loading [kg.m-2]", 0.1),
                                         (Q, 1.0)])
def test_derived_values_cannot_be_set(name, value, tmp_path):
    with pytest.raises(InputError) as err:
        Conditions.resolve("jo2024-full", parameters={name: value})
    _one_line(err, repr(name), f"={value:g}", "cannot be set", "thickness")
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "ssbsim-parameters", "version": 1, "parameters": {name: value}}))
    with pytest.raises(InputError) as err:
        load_parameters(path)
    _one_line(err, str(path), repr(name), "cannot be set")
    with pytest.raises(InputError) as err:
        check_fit_parameters("jo2024-full", [FitParameter(name, value / 2, value)], model="SPM")
    _one_line(err, f"--param {name!r}", "cannot be set")


def test_the_1c_message_points_to_the_c_rate():
    with pytest.raises(InputError) as err:
        Conditions.resolve("kwon2022", parameters={Q: 1.0})
    _one_line(err, "c_rate=")


@pytest.mark.parametrize("preset, parameters, words", [
    ("kwon2022", {POS_EPS: 0.99}, [f"{POS_EPS!r}=0.99", "positive electrode's volume fractions sum to 1.5 > 1",
                                   "active 0.99 + SE 0.481 + voids 0.03", "allowed: a sum <= 1"]),
    ("kwon2022", {"Positive electrode porosity": 0.6}, ["'Positive electrode porosity'=0.6", "sum to 1.06 > 1"]),
    ("kwon2022", {POS_EPS: 0.5, "Positive electrode void fraction": 0.1},
     [f"parameters {POS_EPS!r}=0.5, 'Positive electrode void fraction'=0.1 make", "sum to 1.08 > 1"]),
    ("choi2025", {"Secondary: Positive electrode active material volume fraction": 0.5},
     ["'Secondary: Positive electrode active material volume fraction'=0.5",
      "active (primary) 0.533 + active (secondary) 0.5 + SE", "> 1"]),
    ("kwon2022-pouch", {"Negative electrode active material volume fraction": 0.7},
     ["negative electrode's volume fractions sum to", "> 1"]),
])
def test_an_overfull_electrode_is_refused(preset, parameters, words):
    with pytest.raises(InputError) as err:
        Conditions.resolve(preset, model="SPM", parameters=parameters)
    _one_line(err, *words)


def test_an_electrode_without_active_material_is_refused():
    with pytest.raises(InputError) as err:
        Conditions.resolve("kwon2022", parameters={POS_EPS: 0.0})
    _one_line(err, f"{POS_EPS!r}=0 leaves the positive electrode without active material", "> 0")
    _case("choi2025", **{"Secondary: Positive electrode active material volume fraction": 0.0})  # graphite only


def test_a_full_electrode_is_allowed():
    pv0, _ = _case("kwon2022")
    room = 1.0 - pv0[POS_EPS] - pv0["Positive electrode porosity"] - pv0["Positive electrode void fraction"]
    _case("kwon2022", **{POS_EPS: pv0[POS_EPS] + room})


def test_a_fit_bound_that_overfills_is_refused():
    with pytest.raises(InputError) as err:
        check_fit_parameters("kwon2022", [FitParameter(POS_EPS, 0.3, 0.99)], model="SPM")
    _one_line(err, f"--param {POS_EPS!r} bound", "=0.99", "sum to 1.5 > 1")
    check_fit_parameters("kwon2022", [FitParameter(POS_EPS, 0.3, 0.45)], model="SPM")


def test_a_misspelt_parameter_gets_a_did_you_mean():
    from ssbsim.simulator.errors import InputError
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    with pytest.raises(InputError, match=r"'Positve electrode thickness \[m\]' is not in parameter set Kwon2022; "
                                         r"did you mean 'Positive electrode thickness \[m\]'\?"):
        parameter_values(resolve_conditions("kwon2022", parameters={"Positve electrode thickness [m]": 1e-5}))


def test_entries_built_from_the_volume_fractions_follow_them():
    """The SE network's tortuosity factor eps^(1 - b), the electronic one 1 - eps and the
    swelling particles' fraction (Jo's Si-C host, a fraction of the phase) move with the
    fractions and exponent that set them; a tortuosity set with them wins."""
    tau, tau_s = "Positive electrode tortuosity factor (electrolyte)", "Positive electrode tortuosity factor (electrode)"
    eps, b = "Positive electrode porosity", "Positive electrode Bruggeman coefficient (electrolyte)"

    def pv(preset, **parameters):
        return parameter_values(Conditions.resolve(preset, parameters=parameters))

    base = pv("kwon2022")
    assert base[tau] == pytest.approx(base[eps] ** (1 - base[b]), rel=1e-12)  # as components builds it
    for changed in ({eps: 0.3}, {b: 1.5}, {eps: 0.3, b: 2.5}):
        v = pv("kwon2022", **changed)
        assert v[tau] == pytest.approx(v[eps] ** (1 - v[b]), rel=1e-12)
        assert v[tau_s] == pytest.approx(1 - v[eps], rel=1e-12)
    assert pv("kwon2022", **{eps: 0.3, tau: 2.0})[tau] == 2.0
    active, swelling = ("Secondary: Positive electrode active material volume fraction",
                        "Secondary: Positive electrode swelling particle volume fraction")
    jo = pv("jo2024-anode")
    assert jo[swelling] != jo[active]  # the Si-C particles host the Si phase
    half = pv("jo2024-anode", **{active: 0.5 * jo[active]})
    assert half[swelling] == pytest.approx(0.5 * jo[swelling], rel=1e-12)
