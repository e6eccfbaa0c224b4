"""Which census-form layouts there are: the core's and those the plugins provide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...census_forms import FormLayout

if TYPE_CHECKING:
    from ...plugins import PluginManager

__all__ = ["available_layouts", "find_layout"]


def available_layouts(plugins: PluginManager | None = None) -> tuple[FormLayout, ...]:
    """The core's layouts and those of the plugins (default: every installed plugin)."""
    if plugins is None:
        from ...plugins import PluginManager

        plugins = PluginManager()
    return plugins.census_forms()


def find_layout(form_id: str, layouts: Iterable[FormLayout]) -> FormLayout | None:
    """The layout with this id, or ``None``."""
    for layout in layouts:
        if layout.id == form_id:
            return layout
    return None
