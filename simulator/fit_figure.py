"""The fit-vs-data figure of ``ssbsim fit --figure``."""

from __future__ import annotations

import numpy as np


def plot_fit(result, path):
    """Write :func:`fit_figure` of ``result`` to ``path`` (PNG); returns the path."""
    fit_figure(result).savefig(path, dpi=120)
    return path


def fit_figure(result):
    """Model vs measured at the fitted parameters (a :class:`~ssbsim.simulator.fitting.FitResult`).

    Data points (capacities, porosities, ...) share a parity panel, one marker per point
    with the 1:1 line; each fitted cycler curve gets a panel of its own, measured and model
    voltage [V] against time [h], its RMSE [mV] in the title.
    """
    from matplotlib.figure import Figure

    points = [r for r in result.residuals if r["quantity"] != "voltage RMSE [V]"]
    panels = (1 if points else 0) + len(result.curves)
    fig = Figure(figsize=(4.5 * max(panels, 1), 4))
    axes = [fig.add_subplot(1, max(panels, 1), k + 1) for k in range(max(panels, 1))]
    if points:
        ax = axes.pop(0)
        meas = [r["measured"] for r in points]
        mod = [r["model"] for r in points]
        ax.plot(meas, mod, "o")
        lim = [min(meas + mod) * 0.98, max(meas + mod) * 1.02]
        ax.plot(lim, lim, "k--", lw=0.8)
        for r in points:
            ax.annotate(", ".join(f"{v}" for v in r["conditions"].values()), (r["measured"], r["model"]),
                        fontsize=6)
        ax.set(xlabel="measured", ylabel="model", title="fit vs data")
    for ax, c in zip(axes, result.curves):
        t_h = np.asarray(c["time_s"]) / 3600.0
        ax.plot(t_h, c["measured_V"], "k.", ms=2, label="measured")
        ax.plot(t_h, c["model_V"], "C1-", lw=1.2, label="model, fitted")
        rmse = np.sqrt(np.nanmean((np.asarray(c["model_V"]) - np.asarray(c["measured_V"])) ** 2))
        ax.set(xlabel="time [h]", ylabel="voltage [V]", title=f"{c['source']}: RMSE {1e3 * rmse:.2f} mV")
        ax.title.set_fontsize(8)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
