"""Benchmarks of ssbsim: the harness behind ``ssbsim bench`` (:mod:`.harness`) and the
studies run as scripts from the repository root (``python benchmarks/bench_*.py``)."""
