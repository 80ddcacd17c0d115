"""A picture of a typical week: days across, posting times down, network and rubric in cells."""

from __future__ import annotations

import textwrap
from io import BytesIO

from bot.advice.models import StrategyAdvice
from bot.documents.common import network_name, rubric_name, zone_name
from bot.domain.translate import Translate

WIDTH_PX, HEIGHT_PX, DPI = 1200, 800, 100
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COLOURS = {
    "vk": "#4C75A3",
    "ok": "#EE8208",
    "telegram": "#229ED9",
    "max": "#7B61FF",
    "dzen": "#333333",
    "rutube": "#1E2A3A",
    "youtube": "#E62117",
    "tiktok": "#111111",
    "instagram": "#C13584",
    "facebook": "#1877F2",
    "whatsapp": "#25D366",
    "x": "#000000",
}


def build_week_png(advice: StrategyAdvice, t: Translate) -> bytes:
    """A 1200x800 PNG of ``advice.slots``; Agg only, no global pyplot state."""
    # Imported on first use: most runs never build one, and the bot starts lighter.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.07, 0.05, 0.91, 0.83))
    times = sorted({slot.time for slot in advice.slots})
    rows = max(len(times), 1)
    axes.set_xlim(0, 7)
    axes.set_ylim(rows, 0)
    axes.set_xticks([d + 0.5 for d in range(7)])
    axes.set_xticklabels([t(f"advice.day.{key}") for key in DAY_KEYS], fontsize=12)
    axes.xaxis.tick_top()
    axes.set_yticks([r + 0.5 for r in range(len(times))])
    axes.set_yticklabels(times, fontsize=12)
    axes.tick_params(length=0)
    for x in range(8):
        axes.axvline(x, color="#DDDDDD", linewidth=1)
    for y in range(rows + 1):
        axes.axhline(y, color="#DDDDDD", linewidth=1)
    for side in axes.spines.values():
        side.set_visible(False)
    cells: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for slot in advice.slots:
        cells.setdefault((slot.weekday, times.index(slot.time)), []).append(
            (slot.network, slot.rubric)
        )
    for (day, row), entries in cells.items():
        height = 1 / len(entries)
        for index, (network, rubric) in enumerate(entries):
            top = row + index * height
            axes.add_patch(
                FancyBboxPatch(
                    (day + 0.05, top + 0.06),
                    0.9,
                    height - 0.12,
                    boxstyle="round,pad=0.01",
                    facecolor=COLOURS.get(network, "#777777"),
                    edgecolor="none",
                    alpha=0.9,
                )
            )
            label = network_name(network, t) + "\n" + textwrap.fill(rubric_name(rubric, t), 16)
            axes.text(
                day + 0.5,
                top + height / 2,
                label,
                ha="center",
                va="center",
                color="white",
                fontsize=9 if len(entries) == 1 else 7,
                wrap=True,
            )
    if not advice.slots:
        axes.text(3.5, 0.5, t("doc.png.empty"), ha="center", va="center", fontsize=14)
    figure.suptitle(
        t("doc.png.title", name=advice.library_name or "—"),
        fontsize=16,
        x=0.07,
        ha="left",
        y=0.975,
    )
    figure.text(
        0.07,
        0.015,
        t("doc.png.note", tz=zone_name(advice.timezone, t)),
        fontsize=10,
        color="#555555",
    )
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
