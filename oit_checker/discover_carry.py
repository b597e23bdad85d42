"""``discover --checklist``: last list's URLs carried over to the items of a new list.

The config names URLs for the old list's items; ``checklist_diff`` pairs each new item with the
old ones it continues, so discover can propose (and check first) the URLs staff already chose.
"""

from __future__ import annotations

from collections.abc import Mapping

from .checklist import Checklist
from .checklist_choice import CONFIGURED, describe
from .checklist_diff import diff_checklists
from .config import LoadedConfig

Carried = Mapping[str, tuple[tuple[str, str], ...]]
"""New item code -> ((old item code, URL), …): the config's URLs for the items it continues."""


def carry_over(loaded: LoadedConfig, checklist: Checklist) -> tuple[LoadedConfig, Carried]:
    """The config retargeted at ``checklist`` (its own items and ``select`` dropped, as their codes
    are the old list's), and the old items' URLs keyed by the new codes the diff pairs them with."""
    if checklist.id == loaded.checklist.id:
        return loaded, {}
    diff = diff_checklists(loaded.checklist, checklist)
    carried = {item.code: pairs for item in checklist.items
               if (pairs := tuple((old, url) for old in diff.predecessors(item.code) for url in loaded.urls_for(old)))}
    config = loaded.config.model_copy(update={
        "items": {}, "audit": loaded.config.audit.model_copy(update={"select": (), "checklist": checklist.id})})
    return LoadedConfig(config, checklist, loaded.path, describe(checklist, CONFIGURED), loaded.base_dir), carried


__all__ = ["Carried", "carry_over"]
