"""ssbsim's papers in PyBaMM's citation system: a run lists the seed papers (by DOI
where one was checked against a record naming the title).

With pybtex installed PyBaMM formats only keys it knows (an unknown key is a warning,
an error under this suite's filterwarnings); ssbsim.citations makes its keys known and
its submodels register the sources of the mechanisms a run uses.
"""

import pybamm
import pytest

pytest.importorskip("pybtex", reason="PyBaMM formats citations with pybtex (pip install '.[cite]')")

import ssbsim  # noqa: E402
from ssbsim import citations  # noqa: E402
from ssbsim.parameter_sets import PARAMETER_SETS  # noqa: E402

#: Seed papers and the DOIs (checked) or labels that must appear after a Kwon 2022 run
#: with mechanics: the cell's paper, the binder laws', the contact law's, the NCM data's.
EXPECTED_AFTER_KWON = {
    "Kwon2022": "Energy Storage Materials",
    "Jo2024": "Journal of The Electrochemical Society, 2024",
    "Emley2023": "Materials Futures",
    "Liu1995": "doi:10.1126/science.269.5223.513",
    "Mueth1998": "Force distribution in a granular medium",
    "Williams1955": "doi:10.1021/ja01619a008",
    "Ecker2015i": "doi:10.1149/2.0551509jes",
    "ORegan2022": "doi:10.1016/j.electacta.2022.140700",
    "Chen2020": "doi:10.1149/1945-7111/ab9050",
    "Limon2025": "doi:10.48550/arXiv.2501.00600",
}


@pytest.fixture
def fresh_citations():
    """PyBaMM's registry emptied, and ssbsim's built models and runners forgotten (they
    register in their constructors, once per process: a runner an earlier test built,
    e.g. the CLI's, would otherwise solve without registering)."""
    from ssbsim.simulator import simulation

    pybamm.citations._reset()
    simulation._model.cache_clear()
    simulation._RUNNERS.clear()
    yield pybamm.citations
    pybamm.citations._reset()


def test_a_simulation_lists_the_seed_papers_by_doi(fresh_citations, tmp_path):
    ssbsim.simulate("kwon2022", binder="vulcanized", pressure=2, model="SPM")
    assert set(EXPECTED_AFTER_KWON) <= fresh_citations._papers_to_cite
    assert not fresh_citations._unknown_citations
    out = tmp_path / "citations.txt"
    pybamm.print_citations(str(out))
    text = out.read_text()
    missing = {k: v for k, v in EXPECTED_AFTER_KWON.items() if v not in text}
    assert not missing, f"not in print_citations: {missing}"


def test_without_mechanics_the_contact_papers_are_not_cited(fresh_citations):
    ssbsim.simulate("kwon2022", pressure=70, model="SPM", mechanics=False)
    cited = fresh_citations._papers_to_cite
    assert {"Kwon2022", "Jo2024"} <= cited  # the cell's paper, the coverage law (always on)
    assert not {"Liu1995", "Mueth1998", "Williams1955", "Limon2025"} & cited


@pytest.mark.parametrize("name", sorted(PARAMETER_SETS))
def test_parameter_set_citations_are_known_to_pybamm(name):
    keys = pybamm.ParameterValues(name)["citations"]
    unknown = [k for k in keys if k not in pybamm.citations._all_citations]
    assert not unknown, f"{name} cites keys PyBaMM does not know: {unknown}"


def test_every_source_key_is_defined_and_formats():
    """Each key of SOURCES is in citations.bib or PyBaMM's own file, and every entry of
    citations.bib has the fields pybtex's plain style needs."""
    import pybtex

    citations.register_bibliography()
    used = {k for keys in citations.SOURCES.values() for k in keys}
    assert used <= set(pybamm.citations._all_citations)
    entries = [pybamm.citations._all_citations[k] for k in citations.keys()]
    text = pybtex.format_from_strings(entries, style="plain", output_backend="plaintext")
    assert text.count("[") >= len(entries)


def test_without_pybtex_registration_is_a_no_op(monkeypatch):
    monkeypatch.setattr(pybamm.citations, "_module_import_error", True)
    assert citations.register_bibliography() is False


def test_a_doi_comes_with_the_title_it_was_checked_against():
    """A DOI in citations.bib stands beside the title a published record confirmed it
    for; the seed papers, whose records were not found, carry neither."""
    from pybtex.database import parse_file

    entries = parse_file(str(citations.BIB_FILE), bib_format="bibtex").entries
    untitled = [k for k, e in entries.items() if "doi" in e.fields and "title" not in e.fields]
    assert not untitled, f"DOI without the title it was checked for: {untitled}"
    for key in ("Kwon2022", "Jo2024", "Emley2023", "Choi2025"):
        assert "doi" not in entries[key].fields or entries[key].type == "article", key
