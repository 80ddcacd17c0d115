"""The progress chart: followers per network over time, their total, and the target line.

matplotlib is imported when a chart is drawn, not when the bot starts: most updates never
need it. Callers run this in a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from bot.domain.translate import Translate

WIDTH_PX, HEIGHT_PX, DPI = 1200, 700, 100
TARGET_COLOUR = "#D62728"
"""The target line alone is drawn in this red, so a reader (and a test) can find it."""
NETWORK_COLOURS = {
    "vk": "#4C75A3",
    "ok": "#EE8208",
    "telegram": "#229ED9",
    "max": "#7B61FF",
    "dzen": "#333333",
    "youtube": "#8C564B",
    "instagram": "#C13584",
    "facebook": "#1877F2",
}


@dataclass(frozen=True, slots=True)
class TargetLine:
    start: date
    baseline: int
    end: date
    target: int


def build_progress_png(
    series: Mapping[str, Sequence[tuple[date, int]]],
    target: TargetLine | None,
    t: Translate,
    reach: Mapping[str, Sequence[tuple[date, int]]] | None = None,
) -> bytes:
    """Followers per network (solid), a post's average reach per network (dotted, in the
    network's colour), their total and the target line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.08, 0.1, 0.7, 0.8))
    totals: dict[date, int] = {}
    # Followers solid, a post's reach dotted, each in its network's colour.
    lines = [(series, "o", "-", False), (reach or {}, ".", ":", True)]
    for values_by_network, marker, style, is_reach in lines:
        for network, points in values_by_network.items():
            if not points:
                continue
            name = t(f"opt.net.{network}")
            days, values = zip(*sorted(points), strict=True)
            axes.plot(
                days,
                values,
                marker=marker,
                linestyle=style,
                color=NETWORK_COLOURS.get(network, "#555555"),
                label=t("plan.chart.reach", network=name) if is_reach else name,
            )
    for points in series.values():
        for day, value in points:
            totals[day] = totals.get(day, 0) + value
    if len(series) > 1 and totals:
        days, values = zip(*sorted(totals.items()), strict=True)
        axes.plot(days, values, marker="s", color="#222222", label=t("plan.chart.total"))
    if target is not None:
        axes.plot(
            [target.start, target.end],  # type: ignore[arg-type]  # matplotlib draws dates
            [target.baseline, target.target],
            linestyle="--",
            linewidth=2.5,
            color=TARGET_COLOUR,
            label=t("plan.chart.target", target=target.target),
        )
    axes.set_title(t("plan.chart.title"))
    axes.set_ylabel(t("plan.chart.followers"))
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.autofmt_xdate()
    out = BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
