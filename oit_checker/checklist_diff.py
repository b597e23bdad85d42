"""What changed between two checklists (e.g. ITA 2568 → 2569): items paired by name, not by code.

The NACC renumbers items every year and renames some, so the same requirement can be O16 one
year and O15 the next, and two items can become one. Names are compared after Thai
normalisation (``thai.normalize_phrase_variants``: spacing, digits, spelling variants folded).
Pairs are chosen one-to-one, best first, above ``PAIR_AT``; an item left over whose best match is
already taken (above ``MERGE_AT``) was merged into it (or split from it). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from .checklist import Checklist, Item, Period
from .thai import normalize_phrase_variants

PAIR_AT = 0.55
"""Least similarity for two items to be the same item under another number or name."""
MERGE_AT = 0.85
"""Least similarity for a left-over item to count as merged into (or split from) a paired one."""
PERIOD_BONUS = 0.05
"""Added to a pair's rank (not its similarity) when both items cover the same period."""
SAME_NAME_AT = 0.95
"""At or above this, a pair with the same code is ``unchanged`` rather than ``renamed``."""
_CONTAINED_MIN = 6
"""A name this long (compacted) or longer found whole inside the other counts as almost the same."""


class Change(StrEnum):
    """How an item moved between the two lists."""

    UNCHANGED = "unchanged"
    RENAMED = "renamed"
    """Same code, the name changed."""
    RENUMBERED = "renumbered"
    """The same item under another code (its name may have changed too)."""
    MERGED = "merged"
    """Two or more old items became one new item."""
    SPLIT = "split"
    """One old item became two or more new items."""
    ADDED = "added"
    DROPPED = "dropped"


@dataclass(frozen=True)
class Row:
    """One line of the diff: an old item, a new item, or a pair of them."""

    change: Change
    old_code: str | None
    old_name: str | None
    new_code: str | None
    new_name: str | None
    similarity: float | None
    """0–1 name similarity of the pair; None for added and dropped items."""


@dataclass(frozen=True)
class ChecklistDiff:
    """The rows in the new list's order, dropped items last."""

    old_id: str
    old_year: int
    new_id: str
    new_year: int
    rows: tuple[Row, ...]

    def predecessors(self, new_code: str) -> tuple[str, ...]:
        """Old codes the new item continues (several when items were merged), best pair first."""
        rows = [r for r in self.rows if r.new_code == new_code and r.old_code is not None]
        return tuple(r.old_code for r in sorted(rows, key=lambda r: -(r.similarity or 0)) if r.old_code)

    def counts(self) -> dict[str, int]:
        """Rows per change, every change present."""
        return {c.value: sum(1 for r in self.rows if r.change is c) for c in Change}

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``oit-checker/checklist-diff/v1``)."""
        return {
            "schema": "oit-checker/checklist-diff/v1",
            "old": {"id": self.old_id, "assessment_year": self.old_year},
            "new": {"id": self.new_id, "assessment_year": self.new_year},
            "counts": self.counts(),
            "rows": [{"change": r.change.value, "old_code": r.old_code, "old_name": r.old_name,
                      "new_code": r.new_code, "new_name": r.new_name, "similarity": r.similarity}
                     for r in self.rows],
        }


def name_similarity(a: str, b: str) -> float:
    """0–1: how alike two item names are once normalised (a long name found whole inside the
    other, such as ``E-Service`` in ``ระบบการให้บริการผ่านช่องทางออนไลน์ (E-SERVICE)``, scores 0.9)."""
    x, y = normalize_phrase_variants(a), normalize_phrase_variants(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    ratio = SequenceMatcher(None, x, y, autojunk=False).ratio()
    short, long_ = sorted((x, y), key=len)
    if len(short) >= _CONTAINED_MIN and short in long_:
        ratio = max(ratio, 0.9)
    return round(ratio, 3)


def _code_key(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum()).replace("O0", "O")


def diff_checklists(old: Checklist, new: Checklist) -> ChecklistDiff:
    """Pair the items of ``old`` and ``new`` by name and classify every item."""
    scores = {(o.code, n.code): name_similarity(o.name_th, n.name_th) for o in old.items for n in new.items}
    periods = {(o.code, n.code) for o in old.items for n in new.items if o.period is n.period is not Period.NONE}
    order = {n.code: i for i, n in enumerate(new.items)}
    old_order = {o.code: i for i, o in enumerate(old.items)}
    # best pairs first; the same period (both annual reports, both monthly …) weighs a little, then
    # on a tie the same code, then list order, wins (stable across runs)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1] - PERIOD_BONUS * (kv[0] in periods), _code_key(kv[0][0]) != _code_key(kv[0][1]),
                                                     old_order[kv[0][0]], order[kv[0][1]]))
    old_to_new: dict[str, str] = {}
    new_to_old: dict[str, str] = {}
    for (o, n), score in ranked:
        if score >= PAIR_AT and o not in old_to_new and n not in new_to_old:
            old_to_new[o], new_to_old[n] = n, o
    extra: list[tuple[str, str]] = []  # (old, new) pairs beyond the one-to-one assignment
    for o in (i.code for i in old.items if i.code not in old_to_new):
        best = _best(o, new.items, scores, lambda n: n in new_to_old, old_side=True)
        if best is not None:
            extra.append((o, best))
    for n in (i.code for i in new.items if i.code not in new_to_old):
        best = _best(n, old.items, scores, lambda o: o in old_to_new, old_side=False)
        if best is not None:
            extra.append((best, n))
    merged_into = {n for _, n in extra if n in new_to_old and any(e[0] not in old_to_new for e in extra if e[1] == n)}
    split_from = {o for o, _ in extra if o in old_to_new and any(e[1] not in new_to_old for e in extra if e[0] == o)}
    names_old = {i.code: i.name_th for i in old.items}
    names_new = {i.code: i.name_th for i in new.items}
    rows: list[tuple[tuple[int, int], Row]] = []
    for o, n in [*old_to_new.items(), *extra]:
        if n in merged_into:
            change = Change.MERGED
        elif o in split_from:
            change = Change.SPLIT
        elif _code_key(o) != _code_key(n):
            change = Change.RENUMBERED
        else:
            change = Change.UNCHANGED if scores[o, n] >= SAME_NAME_AT else Change.RENAMED
        rows.append(((order[n], old_order[o]), Row(change, o, names_old[o], n, names_new[n], scores[o, n])))
    paired_old = {o for o, _ in [*old_to_new.items(), *extra]}
    paired_new = {n for _, n in [*old_to_new.items(), *extra]}
    for item in new.items:
        if item.code not in paired_new:
            rows.append(((order[item.code], -1), Row(Change.ADDED, None, None, item.code, item.name_th, None)))
    for item in old.items:
        if item.code not in paired_old:
            rows.append(((len(order), old_order[item.code]),
                         Row(Change.DROPPED, item.code, item.name_th, None, None, None)))
    rows.sort(key=lambda pair: pair[0])
    return ChecklistDiff(old.id, old.assessment_year, new.id, new.assessment_year, tuple(r for _, r in rows))


def _best(code: str, others: tuple[Item, ...], scores: dict[tuple[str, str], float], taken: Any,
          *, old_side: bool) -> str | None:
    """The best already-paired partner of a left-over item, when alike enough to be a merge/split."""
    best, best_score = None, MERGE_AT
    for other in others:
        score = scores[(code, other.code) if old_side else (other.code, code)]
        if taken(other.code) and score >= best_score:
            best, best_score = other.code, score
    return best


__all__ = ["Change", "ChecklistDiff", "MERGE_AT", "PAIR_AT", "Row", "diff_checklists", "name_similarity"]
