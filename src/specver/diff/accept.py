"""Accepted changes: mark the changes an accept list covers, and say which entries are stale.

An accepted change is still a change (it is shown and counts for the bump), but it no longer
counts for `--fail-on` or the exit status. Entries past their `expires` day are ignored and
entries that match nothing are stale; both come back as warnings for the CLI to print.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from specver.diff.classify import highest_level
from specver.diff.textdiff import one_line

if TYPE_CHECKING:
    from collections.abc import Iterable

    from specver.config import AcceptEntry
    from specver.spec.model import Change, SpecDiff


@dataclass(frozen=True, slots=True)
class AcceptOutcome:
    """A diff with its accepted changes marked, and the warnings the entries gave."""

    diff: SpecDiff
    warnings: tuple[str, ...] = ()


def entry_matches(entry: AcceptEntry, change: Change) -> bool:
    """Whether one entry accepts one change: its fingerprint, and its kind and policy glob."""
    if entry.fingerprint is not None and entry.fingerprint != change.fingerprint:
        return False
    if entry.kind is not None:
        if entry.kind != change.kind:
            return False
        return fnmatchcase(change.policy or "", entry.policy)
    return True


def accept(diff: SpecDiff, entries: Iterable[AcceptEntry], today: date) -> AcceptOutcome:
    """Mark each change the first live entry accepts with its reason; warn on expired and
    stale entries. Accepted changes stay in the diff; they no longer count for the status."""
    warnings: list[str] = []
    live: list[AcceptEntry] = []
    for entry in entries:
        if entry.expires is not None and entry.expires < today:
            warnings.append(f"{entry.label} expired on {entry.expires.isoformat()}; ignored")
        else:
            live.append(entry)
    used: set[int] = set()
    changes: list[Change] = []
    for change in diff.changes:
        found = next((n for n, e in enumerate(live) if entry_matches(e, change)), None)
        if found is not None:
            used.add(found)
            change = replace(change, accepted=live[found].reason)
        changes.append(change)
    warnings += [
        f"{entry.label} matches no change (stale); remove it"
        for n, entry in enumerate(live)
        if n not in used
    ]
    return AcceptOutcome(replace(diff, changes=tuple(changes)), tuple(warnings))


def unaccepted(changes: Iterable[Change]) -> tuple[Change, ...]:
    """The changes no entry accepts: the ones that count for the exit status."""
    return tuple(c for c in changes if c.accepted is None)


def failing_level(diff: SpecDiff) -> str:
    """The highest level among the changes no entry accepts (`none` when there are none)."""
    return highest_level([c.level for c in unaccepted(diff.changes)])


ACCEPT_FILE_HEADER = """\
# Changes `specver diff` accepts: still shown, but not counted for --fail-on or the exit status.
# Written by `specver diff OLD NEW --write-accept FILE`. Give every entry a reason (an entry
# whose reason is empty is refused), and optionally `expires: YYYY-MM-DD`; delete the entries
# you do not accept. Entries may also name `kind:` and a `policy:` glob instead of a fingerprint.
"""


def accept_file_text(diff: SpecDiff, known: Iterable[AcceptEntry] = ()) -> str:
    """An accept file listing every change of a diff by fingerprint, with an empty reason.

    Reasons and expiry days of entries in `known` with the same fingerprint, and the reasons
    of changes already accepted, are kept, so writing the file again loses no one's review.
    """
    by_fingerprint = {e.fingerprint: e for e in known if e.fingerprint}
    lines = [ACCEPT_FILE_HEADER.rstrip("\n"), f"# old: {one_line(diff.old.source)}"]
    lines += [f"# new: {one_line(diff.new.source)}", "accept:" if diff.changes else "accept: []"]
    seen: set[str] = set()
    for change in diff.changes:
        if change.fingerprint in seen:
            continue
        seen.add(change.fingerprint)
        entry = by_fingerprint.get(change.fingerprint)
        reason = (entry.reason if entry else "") or change.accepted or ""
        title = change.details.policy_title
        about = one_line(f"{change.kind} {change.policy or ''}{': ' + title if title else ''}")
        lines.append(f'  - fingerprint: "{change.fingerprint}"  # {about}')
        lines.append(f"    reason: {yaml_string(reason)}")
        if entry is not None and entry.expires is not None:
            lines.append(f"    expires: {entry.expires.isoformat()}")
    return "\n".join(lines) + "\n"


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding `text` exactly."""
    import json

    quoted = json.dumps(text, ensure_ascii=False)
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\x85")
