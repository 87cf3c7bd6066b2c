"""Parameter types of the ``ssbsim`` command line: the choices it offers, with the
Python API's one-line errors."""

from __future__ import annotations

import click

from .conditions import Model, Process, check_model, check_process
from .errors import InputError


class _Choice(click.Choice):
    """A case-insensitive choice of one of :class:`Conditions`' enums (``dfn`` -> ``DFN``);
    a wrong value gets the one-line error of the Python API, with the nearest match."""

    def __init__(self, enum, check):
        super().__init__([m.value for m in enum], case_sensitive=False)
        self._check = check

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            try:
                self._check(value)
            except InputError as e:
                self.fail(str(e), param, ctx)
            raise


MODELS = _Choice(Model, check_model)
PROCESSES = _Choice(Process, check_process)
#: ssbsim.models.options.OPTIONS["fixture"] (not imported: it would load PyBaMM for --help)
FIXTURES = click.Choice(["constant pressure", "spring", "rigid"])
#: ssbsim.models.options.OPTIONS["coverage entry"] (not imported, as above)
COVERAGE_ENTRIES = click.Choice(["none", "effective diffusivity"])
_FIXTURE_HELP = ("What holds the stack: the set pressure, a spring, or a fixed gap (rigid), where --pressure "
                 "is the pressure at assembly [default: the preset's; rigid for kwon2022-pouch].")


def _triple(text, option):
    parts = text.split(",")
    if len(parts) != 3:
        raise InputError(f"{option}={text!r} must name three comma-separated items: time, current, voltage")
    return parts
