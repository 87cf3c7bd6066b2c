"""The papers behind ssbsim, in PyBaMM's citation system.

``citations.bib`` (shipped with the package) holds the BibTeX of the papers whose cells,
measurements and laws ssbsim uses that PyBaMM's own ``CITATIONS.bib`` lacks.
:func:`register_bibliography` adds them to ``pybamm.citations`` (once per process; the
parameter sets do it on import), so the keys the parameter sets list (``"Kwon2022"``,
...) and the keys the submodels register in their constructors are known, and
``pybamm.print_citations()`` after a simulation lists each paper with its DOI where one
is given.

PyBaMM formats citations with the optional ``pybtex`` (``pip install "pybamm[cite]"``);
without it PyBaMM keeps only the keys and :func:`register_bibliography` has nothing to add.
"""

from __future__ import annotations

from pathlib import Path

BIB_FILE = Path(__file__).with_name("citations.bib")

#: Sources of each ssbsim mechanism, by citation key (``citations.bib`` or PyBaMM's).
SOURCES = {
    "contact law": ("Liu1995", "Mueth1998"),
    "force-chain rearrangement": ("AlonsoMarroquin2004",),
    "binder mechanics": ("Kwon2022", "Williams1955"),
    "binder coverage": ("Jo2024",),
    "coverage entry": ("Weppner1977", "Jo2024"),
    "conduction blocking": ("Emley2023",),
    "interface resistance": ("Limon2025",),
    "layer decohesion": ("McGrogan2017",),
    "SE reduction": ("Single2018",),
    "NCM diffusivity": ("Ecker2015i", "ORegan2022"),
    "NCM end of lithiation": ("Mohtat2020",),
}

#: What every parameter set cites for the binder laws it evaluates (coverage, blocking).
LAW_CITATIONS = SOURCES["binder coverage"] + SOURCES["conduction blocking"]
#: What a parameter set with a layered-NCM electrode cites for its diffusivity law and
#: the end of its OCP.
NCM_CITATIONS = SOURCES["NCM diffusivity"] + SOURCES["NCM end of lithiation"]

_registered = False


def keys() -> list[str]:
    """Citation keys defined in ``citations.bib``, in file order."""
    from pybtex.database import parse_file

    return list(parse_file(str(BIB_FILE), bib_format="bibtex").entries)


def register_bibliography() -> bool:
    """Add ``citations.bib`` to ``pybamm.citations`` (idempotent). Returns whether the
    entries are known to PyBaMM, i.e. whether ``pybtex`` is installed."""
    global _registered
    import pybamm

    if pybamm.citations._module_import_error:
        return False
    if not _registered:
        from pybtex.database import parse_file

        for key, entry in parse_file(str(BIB_FILE), bib_format="bibtex").entries.items():
            pybamm.citations._add_citation(key, entry)
            if key in pybamm.citations._unknown_citations:  # registered before it was known
                pybamm.citations._unknown_citations.discard(key)
                pybamm.citations._papers_to_cite.add(key)
        _registered = True
    return True


def cite(mechanism: str) -> None:
    """Register the sources of ``mechanism`` (a key of :data:`SOURCES`) for this run."""
    import pybamm

    register_bibliography()
    for key in SOURCES[mechanism]:
        pybamm.citations.register(key)
