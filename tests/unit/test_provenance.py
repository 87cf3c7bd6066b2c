"""Every constant of the model has a source (ssbsim.parameter_sets.provenance). Fast: no solves."""

import dataclasses
import re

import pytest

from ssbsim.models import contact_law
from ssbsim.models.binder_mechanics import BinderProperties
from ssbsim.parameter_sets import materials, mechanics, provenance
from ssbsim.parameter_sets.provenance import KINDS, REGISTRY, Constant, Source


def without_source() -> set[str]:
    """Constants found in the code that the registry does not source."""
    return provenance.constants_in_code() - set(REGISTRY)


def test_every_constant_in_code_has_a_source():
    missing = without_source()
    assert not missing, "constants without a source (add them to provenance.toml):\n" + "\n".join(sorted(missing))


@pytest.mark.parametrize("add", ["module constant", "dict entry", "record field", "record", "law default"])
def test_a_new_constant_without_source_is_caught(monkeypatch, add):
    """The check above fails when a constant without a source is added, wherever it is."""
    if add == "module constant":
        monkeypatch.setattr(mechanics, "NEW_UNSOURCED_CONSTANT", 0.5, raising=False)
        expected = {"parameter_sets.mechanics.NEW_UNSOURCED_CONSTANT"}
    elif add == "dict entry":
        monkeypatch.setitem(mechanics.SE_CONTACT, "New constant [Pa]", 1.0)
        expected = {"parameter_sets.mechanics.SE_CONTACT[New constant [Pa]]"}
    elif add == "record field":  # a changed value of a field that had its default
        monkeypatch.setattr(materials, "LTO", dataclasses.replace(materials.LTO,
                                                                          exchange_current_activation_energy_J_mol=2.0e4))
        expected = {"parameter_sets.materials.LTO.exchange_current_activation_energy_J_mol"}
    elif add == "record":
        monkeypatch.setattr(mechanics, "NEW_BINDER", BinderProperties("new", 2.0, cohesion_N_m=5.0),
                            raising=False)
        expected = {f"parameter_sets.mechanics.NEW_BINDER.{f}" for f in ("measured_content_wt_pct", "cohesion_N_m")}
    else:  # a new numeric default of a law's dataclass
        @dataclasses.dataclass(frozen=True)
        class ContactLawParameters(contact_law.ContactLawParameters):
            new_rate_s: float = 3.0

        ContactLawParameters.__module__ = contact_law.__name__
        monkeypatch.setattr(contact_law, "ContactLawParameters", ContactLawParameters)
        expected = {"models.contact_law.ContactLawParameters.new_rate_s"}
    assert without_source() == expected
    with pytest.raises(AssertionError, match="constants without a source"):
        test_every_constant_in_code_has_a_source()


def test_imported_and_excluded_names_are_not_constants():
    found = provenance.constants_in_code()
    # imported from models.layer_decohesion / components: sourced where they are defined
    assert "parameter_sets.mechanics.SE_FRACTURE_ENERGY_J_M2" not in found
    assert "parameter_sets.kwon2022.LI_IN_POTENTIAL_VS_LI" not in found
    # a parameter set's BINDERS refer to mechanics.BINDERS' records: sourced once, there
    assert not any(n.startswith("parameter_sets.kwon2022.BINDERS") for n in found)
    assert not any(provenance._excluded(n) for n in found)
    assert "models.binder_coverage.BINDER_CONTENT_RANGE_WT_PCT" in provenance.EXCLUDED


def test_every_registry_name_resolves_to_a_number():
    for name in REGISTRY:
        v = provenance.value(name)
        assert isinstance(v, (int, float)) and not isinstance(v, bool), (name, v)


def test_values_are_read_live_from_the_code(monkeypatch):
    eta = "Binder holding fraction of strength"
    assert provenance.value(f"parameter_sets.mechanics.BINDER_LAWS[{eta}]") == mechanics.BINDER_LAWS[eta]
    assert provenance.value("parameter_sets.materials.NCM711.particle_radius_m") == materials.NCM711.particle_radius_m
    name = "parameter_sets.mechanics.SE_CONTACT[Composite framework modulus [Pa]]"
    monkeypatch.setitem(mechanics.SE_CONTACT, "Composite framework modulus [Pa]", 2.5e9)
    assert provenance.value(name) == REGISTRY[name].value == 2.5e9
    assert provenance.value("models.strain.NCM_STRAIN[NCM711][1]") == 0.030
    with pytest.raises(KeyError, match="does not resolve"):
        provenance.value("parameter_sets.mechanics.SE_CONTACT[No such entry]")


def test_the_data_file_restates_no_value():
    """A constant carries a unit and a source, never a copy of its value."""
    for c in REGISTRY.values():
        assert isinstance(c, Constant) and isinstance(c.unit, str) and c.unit
    text = '[constant]\n"models.strain.F" = { unit = "C.mol-1", kind = "assumed", ref = "r", value = 96485.0 }\n'
    with pytest.raises(ValueError, match="never restated"):
        provenance._load(text)


def test_sources_are_complete():
    for name, c in REGISTRY.items():
        s = c.source
        assert s.kind in KINDS, name
        assert s.ref.strip(), name
        assert all(isinstance(r, str) and r for r in s.rows), name
        if s.kind == "fitted":
            assert s.rows, f"{name}: a fitted constant names the rows it was fitted on"


def test_source_validates_its_kind():
    with pytest.raises(ValueError, match="kind"):
        Source("guessed", "because")
    with pytest.raises(ValueError, match="row ids"):
        Source("fitted", "scripts/x.py")
    with pytest.raises(ValueError, match="ref"):
        Source("assumed", " ")


def test_known_fits_are_fitted():
    kind = {n: c.source.kind for n, c in REGISTRY.items()}
    for name in ["parameter_sets.mechanics.BINDER_LAWS[Binder holding fraction of strength]",
                 "parameter_sets.mechanics.BINDER_LAWS[Binder void nucleation fracture energy scale [J.m-2]]",
                 "parameter_sets.mechanics.SE_CONTACT[Composite framework modulus [Pa]]",
                 "parameter_sets.mechanics.SE_CONTACT[Solid electrolyte creep velocity at 1 MPa [m.s-1]]",
                 "parameter_sets.mechanics.SE_CONTACT[Void nucleation coefficient]",
                 "parameter_sets.components.SE_NETWORK_BRUGGEMAN_EXPONENT",
                 "parameter_sets.components.ANODE_SE_NETWORK_BRUGGEMAN_EXPONENT",
                 "models.binder_coverage.LAW_CONSTANTS[Wet binder coverage maximum]",
                 "models.binder_coverage.LAW_CONSTANTS[Wet binder saturated neck conductance fraction]"]:
        assert kind[name] == "fitted", name
    assert kind["parameter_sets.materials.F"] == "literature"
    rows = provenance.fitted_rows()
    assert {"kwon2022-q1-vulcanized-2MPa", "jo2024-porosity150-2.5wt", "choi2025-rate1.5C-xylene"} <= rows
    # the first delithiations do not identify the anode's SE-network exponent (< 1 mAh/g
    # between b = 1.5 and 2.5): nothing is fitted on them, so they are predictions
    assert not {f"choi2025-q1-delith-{b}" for b in ("anisole", "toluene", "xylene")} & rows


def test_table():
    rows = provenance.table()
    assert len(rows) == len(REGISTRY)
    assert set(rows[0]) == {"name", "value", "unit", "kind", "ref", "rows"}


def test_cited_rows_are_catalogue_rows():
    catalogue = pytest.importorskip("ssbsim.simulator.catalogue")
    known = set(catalogue.all_row_ids())
    cited = {r for c in REGISTRY.values() for r in c.source.rows}
    assert cited - known == set()
    assert all(re.fullmatch(r"[A-Za-z0-9.-]+", r) for r in cited)
