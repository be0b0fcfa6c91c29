"""What an edit did to a policy's rules, in the words a maintainer would use in a changelog.

Each changed statement (`diff.normative.StatementChange`) becomes one clause ("the exception
“unless …” is gone from “…”", "“should” is now “must”: “…”"); items added to or removed
from the list a rule introduces are named together per list ("the list under “…” gains
“A” and “B”"), and so are the items of lists that state no rule (`diff.lists`: a definition
that lost fields). When a policy has many changes, new and dropped rules are counted rather
than quoted, so the changelog line stays a sentence. Clauses are written once and styled
by a `Style` (escaped Markdown or plain text), as every changelog sentence is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from specver.diff.lists import DEFINITIONS, ItemName, ListChange
from specver.diff.normative import StatementChange, quote
from specver.wording import Style, plural, series

QUOTED = 60
"""Characters of a statement quoted in a clause before it is cut with an ellipsis."""

CLAUSES_LISTED = 4
"""Up to this many clauses a sentence lists each new or dropped rule; past it they are
counted, and past `CLAUSES_SHOWN` the remaining clauses too."""
CLAUSES_SHOWN = 6

COUNTED: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "rule_added": ("new rule", "new rules"),
        "permission_added": ("new permission", "new permissions"),
        "rule_dropped": ("rule", "rules"),
        "permission_dropped": ("permission", "permissions"),
    }
)
"""Rows whose changes are counted in a long sentence, and how one and several are named."""

LIST_ROWS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "scope_item_added": ("rule", "added"),
        "scope_item_dropped": ("rule", "removed"),
        "permitted_item_added": ("permission", "added"),
        "permitted_item_dropped": ("permission", "removed"),
    }
)
"""Rows about one item of a list a rule (or permission) introduces: (whose list, how)."""


def _q(st: Style, text: str | None, limit: int = QUOTED) -> str:
    """A statement or clause quoted in curly quotes, cut at `limit` characters."""
    return f"“{st.text(quote(text, limit))}”"


def _modality(n: StatementChange, st: Style) -> str:
    if n.old and n.new:
        return f"“{st.text(n.old)}” is now “{st.text(n.new)}”: {_q(st, n.after)}"
    if n.new:  # a sentence that bound nobody is a rule now
        return f"{_q(st, n.after)} is now a rule (“{st.text(n.new)}”)"
    return f"{_q(st, n.after)} no longer binds (it said “{st.text(str(n.old))}”)"


def _exception(n: StatementChange, st: Style) -> str:
    rule = n.after or n.before
    if n.rule == "exception_added":
        if _starts_with(rule, n.new):
            return f"a new exception limits {_q(st, rule)}"
        return f"{_q(st, rule, 50)} gains the exception {_q(st, n.new)}"
    if n.rule == "exception_dropped":
        return f"the exception {_q(st, n.old)} is gone from {_q(st, rule, 50)}"
    if n.rule == "exception_widened":
        return f"the exception in {_q(st, n.before)} drops “{st.text(str(n.old))}”, covering more"
    return f"the exception in {_q(st, n.after)} now says “{st.text(str(n.new))}”, covering less"


def _starts_with(statement: str | None, clause: str | None) -> bool:
    """Whether a statement opens with its clause (a quote of one would repeat the other)."""
    head = " ".join((statement or "").lower().split())[:QUOTED]
    return bool(clause) and " ".join(str(clause).lower().split())[:20] in head


def _condition(n: StatementChange, st: Style) -> str:
    rule = n.after or n.before
    if n.rule == "condition_added":
        if _starts_with(rule, n.new):
            return f"a new condition limits {_q(st, rule)}"
        return f"{_q(st, rule, 50)} now holds only under {_q(st, n.new)}"
    if n.rule == "condition_dropped":
        return f"{_q(st, rule, 50)} holds without {_q(st, n.old)}"
    if n.rule == "condition_widened":
        return (
            f"the condition in {_q(st, n.before)} drops “{st.text(str(n.old))}”, "
            "so the rule applies more often"
        )
    return (
        f"the condition in {_q(st, n.after)} now says “{st.text(str(n.new))}”, "
        "so the rule applies less often"
    )


def _reach(n: StatementChange, st: Style) -> str:
    """A rule or permission that gained or lost a qualifier, clause or phrase."""
    what = "the permission" if n.rule.startswith("permission_") else "the rule"
    wider = n.rule.endswith("_widened")
    covers = "allows" if what == "the permission" else "covers"
    if n.new is not None:
        return (
            f"{what} {_q(st, n.after)} now says {_q(st, n.new, 40)}, "
            f"so it {covers} {'more' if wider else 'less'}"
        )
    return (
        f"{what} {_q(st, n.before)} drops {_q(st, n.old, 40)}, "
        f"so it {covers} {'more' if wider else 'less'}"
    )


def _single(n: StatementChange, st: Style) -> str:
    """One clause for one changed statement (lists and counts are written elsewhere)."""
    rule = n.rule
    if rule.startswith("modality_"):
        return _modality(n, st)
    if rule.startswith("exception_"):
        return _exception(n, st)
    if rule.startswith("condition_"):
        return _condition(n, st)
    if rule == "rule_added":
        return f"a new rule, {_q(st, n.after)}"
    if rule == "rule_dropped":
        return f"the rule {_q(st, n.before)} is gone"
    if rule == "permission_added":
        return f"a new permission, {_q(st, n.after)}"
    if rule == "permission_dropped":
        return f"the permission {_q(st, n.before)} is gone"
    if rule in ("rule_widened", "rule_narrowed", "permission_widened", "permission_narrowed"):
        return _reach(n, st)
    return f"{_q(st, n.after or n.before)} changed"


def item_names(names: Sequence[ItemName], st: Style) -> str:
    """`A`, `A and B`, `A, B and C`: terms as code where they were written so."""
    return series([st.code(n.text) if n.code else f"“{st.text(n.text)}”" for n in names])


def _gains_loses(added: Sequence[ItemName], removed: Sequence[ItemName], st: Style) -> str:
    parts = []
    if added:
        parts.append(f"gains {item_names(added, st)}")
    if removed:
        parts.append(f"loses {item_names(removed, st)}")
    return ", and ".join(parts) if added and len(added) > 1 else " and ".join(parts)


def list_clause(change: ListChange, st: Style) -> str:
    """`the list under “Each message contains …” loses `recipient` and `settings``."""
    if change.lead == DEFINITIONS:
        parts = []
        if change.added:
            word = "a definition" if len(change.added) == 1 else "definitions"
            parts.append(f"adds {word} of {item_names(change.added, st)}")
        if change.removed:
            word = "definition" if len(change.removed) == 1 else "definitions"
            parts.append(f"drops the {word} of {item_names(change.removed, st)}")
        return " and ".join(parts)
    where = f" under {_q(st, change.lead)}" if change.lead else ""
    return f"the list{where} {_gains_loses(change.added, change.removed, st)}"


def _revised(change: ListChange, st: Style) -> str:
    """`revises the definition of “Tool”`, `revises “Misaligned goals” in the list under …`."""
    if change.lead == DEFINITIONS:
        word = "definition" if len(change.revised) == 1 else "definitions"
        return f"revises the {word} of {item_names(change.revised, st)}"
    where = f" in the list under {_q(st, change.lead)}" if change.lead else ""
    return f"revises {item_names(change.revised, st)}{where}"


def _scope_lists(changes: Sequence[StatementChange]) -> list[ListChange]:
    """The items a rule's (or permission's) list gained and lost, one entry per list."""
    lists: dict[str, tuple[list[ItemName], list[ItemName]]] = {}
    for n in changes:
        if n.rule not in LIST_ROWS:
            continue
        added, removed = lists.setdefault(n.sentence, ([], []))
        if LIST_ROWS[n.rule][1] == "added":
            added.append(ItemName(quote(n.new, 50)))
        else:
            removed.append(ItemName(quote(n.old, 50)))
    return [ListChange(lead, tuple(a), tuple(r)) for lead, (a, r) in lists.items()]


def _counts(changes: Sequence[StatementChange]) -> str:
    """`3 new rules and a new permission; 2 rules gone`."""
    tally: dict[str, int] = {}
    for n in changes:
        tally[n.rule] = tally.get(n.rule, 0) + 1

    def named(rule: str) -> str:
        one, many = COUNTED[rule]
        return f"a {one}" if tally[rule] == 1 else f"{tally[rule]} {many}"

    came = [named(r) for r in ("rule_added", "permission_added") if r in tally]
    gone = [named(r) for r in ("rule_dropped", "permission_dropped") if r in tally]
    dropped = f"{series(gone)} gone" if gone else ""
    return "; ".join(part for part in (series(came), dropped) if part)


def _covered(item: ItemName, statements: Sequence[StatementChange]) -> bool:
    """Whether a list item is already told by a changed rule (an item that carries a rule of
    its own is reported as that rule)."""
    whole = " ".join((item.item or item.text).lower().split())
    for n in statements:
        if n.effect == "neutral":
            continue
        quoted = (n.old, n.new) if n.rule in LIST_ROWS else ()
        for text in (n.before, n.after, *quoted):
            said = " ".join((text or "").lower().split()).rstrip(".")
            if said and (said in whole or whole[:60] in said):
                return True
    return False


def _prose_lists(
    lists: Sequence[ListChange], statements: Sequence[StatementChange]
) -> list[ListChange]:
    """Lists of the prose whose items no changed statement tells already."""
    return [
        change
        for change in lists
        if (change.added or change.removed)
        and not all(_covered(i, statements) for i in (*change.added, *change.removed))
    ]


def rule_clauses(
    normative: Sequence[StatementChange], lists: Sequence[ListChange], st: Style
) -> list[str]:
    """The clauses of a policy's changelog line: its changed rules in document order (a
    rule's list once, where its first item changed), its other lists' gained and lost items,
    and in a long line the new and dropped rules counted instead of quoted."""
    effective = [n for n in normative if n.effect != "neutral"]
    scoped = {change.lead: change for change in _scope_lists(effective)}
    placed: list[tuple[str, str]] = []
    """(how, clause): `single`, `counted` (a new or dropped rule) or `list`."""
    for n in effective:
        if n.rule in LIST_ROWS:
            change = scoped.pop(n.sentence, None)
            if change is not None:
                placed.append(("list", list_clause(change, st)))
        else:
            placed.append(("counted" if n.rule in COUNTED else "single", _single(n, st)))
    placed += [("list", list_clause(change, st)) for change in _prose_lists(lists, normative)]
    if not placed:
        placed = [("list", _revised(change, st)) for change in lists if change.revised]
    if len(placed) <= CLAUSES_LISTED:
        return [clause for _how, clause in placed]
    clauses = [clause for how, clause in placed if how != "counted"]
    if len(clauses) > CLAUSES_SHOWN:
        left = len(clauses) - CLAUSES_SHOWN
        clauses = [*clauses[:CLAUSES_SHOWN], f"{plural(left, 'other change')} to its rules"]
    counts = _counts([n for n in effective if n.rule in COUNTED])
    return [*clauses, counts] if counts else clauses
