"""``posterior.sample_posterior`` on residuals whose posterior is known in closed form
(no PyBaMM): r(u) = (u - mu) / sd, a Gaussian of mean mu and width sd * noise_sigma."""

from types import SimpleNamespace

import numpy as np
import pytest

from ssbsim.simulator.errors import InputError
from ssbsim.simulator.fitting import FitParameter

pytest.importorskip("emcee")
from ssbsim.simulator.posterior import sample_posterior  # noqa: E402

MU, SD = 0.3, 0.02


class Residuals:
    """The ``residual_problem`` interface: ``residuals(u)`` and ``n_evaluations``."""

    def __init__(self, m=1):
        self.m, self.n_evaluations = m, 0

    def residuals(self, u):
        self.n_evaluations += 1
        return np.full(self.m, (u[0] - MU) / SD) / np.sqrt(self.m)


def least_squares_result(noise=1.0):
    half = 1.96 * SD * noise
    return SimpleNamespace(parameters={"x": MU}, ci95={"x": [MU - half, MU + half]}, cost=0.0)


def test_known_gaussian_posterior_with_an_autocorrelation_time():
    param = [FitParameter("x", 0.0, 1.0)]
    post, samples = sample_posterior(Residuals(), param, least_squares_result(), 8000, noise_sigma=1.0, seed=1)
    stats = post["parameters"]["x"]
    assert stats["mean"] == pytest.approx(MU, abs=0.2 * SD) and stats["std"] == pytest.approx(SD, rel=0.15)
    assert stats["q2.5"] == pytest.approx(MU - 1.96 * SD, abs=0.3 * SD)
    assert post["noise_sigma_source"] == "given" and samples.shape == (8 * 4000, 1)
    tau = post["autocorrelation_time_steps"]
    assert tau is not None and 1 < tau[0] < 4000 / 50, post["autocorrelation_note"]
    again, _ = sample_posterior(Residuals(), param, least_squares_result(), 8000, noise_sigma=1.0, seed=1)
    assert again == post


def test_noise_scale_widens_the_posterior_and_the_uniform_prior_cuts_it():
    wide, _ = sample_posterior(Residuals(), [FitParameter("x", 0.0, 1.0)], least_squares_result(3), 2000,
                               noise_sigma=3.0, seed=2)
    assert wide["parameters"]["x"]["std"] == pytest.approx(3 * SD, rel=0.2)
    cut, samples = sample_posterior(Residuals(), [FitParameter("x", MU, 1.0)], least_squares_result(), 500,
                                    noise_sigma=1.0, seed=2)
    assert samples.min() >= MU and cut["parameters"]["x"]["median"] > MU


def test_noise_scale_is_estimated_only_from_spare_residuals():
    with pytest.raises(InputError, match="cannot be estimated from 1 residual"):
        sample_posterior(Residuals(1), [FitParameter("x", 0.0, 1.0)], least_squares_result(), 100)
    post, _ = sample_posterior(Residuals(4), [FitParameter("x", 0.0, 1.0)],
                               SimpleNamespace(parameters={"x": MU + SD}, ci95={"x": [MU, MU + 2 * SD]}, cost=0.5),
                               100, seed=0)
    assert post["noise_sigma_source"].startswith("estimated") and post["noise_sigma"] == pytest.approx(1 / np.sqrt(3))
