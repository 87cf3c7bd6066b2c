"""The SE reduction's film across skipped cycles (``simulator.cell_state.film_cycles``):
a transport-limited film grows parabolically, A^2 linear in time."""

import math

import pytest

from ssbsim.simulator.cell_state import film_cycles


def test_skipped_cycles_follow_the_parabola_through_the_representative_cycle():
    before, after = 20.0, 21.0  # the film's amount at the cycle's start and end [mol.m-3]
    for n in (1, 4, 16, 64):
        grown = film_cycles(before, after, n) * (after - before)
        assert after + grown == pytest.approx(math.sqrt(after ** 2 + n * (after ** 2 - before ** 2)), rel=1e-12)


def test_a_thickening_film_grows_less_than_the_line_and_more_than_nothing():
    for n in (2, 16, 64):
        assert 0 < film_cycles(20.0, 21.0, n) < n
    # the thicker the film against its last growth, the closer to the line
    assert film_cycles(200.0, 201.0, 16) > film_cycles(20.0, 21.0, 16)


def test_a_film_that_did_not_grow_moves_on_by_the_skipped_cycles():
    assert film_cycles(5.0, 5.0, 8) == 8.0
    assert film_cycles(0.0, 0.0, 3) == 3.0
