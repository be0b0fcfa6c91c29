"""Properties of `audit` over generated release pairs (tests/strategies.py) and any notes.

- every substantive change is disclosed or undisclosed, never both, and the coverage
  figures count them;
- notes that name every changed policy (and speak of authority and levels) leave nothing
  undisclosed;
- a bullet more never makes a change undisclosed that was disclosed;
- any text at all is read as notes without an error.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from specver.api import audit, diff, parse_text
from specver.audit.notes import read_notes
from specver.diff.details import AuthorityLevelRenamed
from specver.spec.model import SpecDiff
from tests.strategies import spec_pairs


def _diff(pair: tuple[str, str]) -> SpecDiff:
    old, new = pair
    return diff(parse_text(old, "old.md"), parse_text(new, "new.md"))


def _naming_everything(compared: SpecDiff) -> str:
    """Notes with one bullet per changed policy (speaking of its authority too) and one per
    level rename."""
    lines = []
    for change in compared.changes:
        d = change.details
        if change.policy is not None:
            lines.append(f"- Updates `{change.policy}` and its authority level.")
        elif isinstance(d, AuthorityLevelRenamed):
            lines.append(f"- Renames the authority level **{d.old}** to **{d.new}**.")
    return "\n".join(dict.fromkeys(lines)) + "\n"


@given(spec_pairs(), st.randoms(use_true_random=False))
def test_every_substantive_change_is_disclosed_or_undisclosed(pair, rnd) -> None:  # type: ignore[no-untyped-def]
    compared = _diff(pair)
    everything = _naming_everything(compared).splitlines()
    kept = [line for line in everything if rnd.random() < 0.5]
    result = audit(compared, read_notes("\n".join(kept) + "\n", "notes.md"))
    disclosed = {
        c.change.fingerprint + str(id(c.change))
        for cb in result.covered
        if not cb.bullet.catch_all
        for c in cb.changes
    }
    undisclosed = {
        u.change.change.fingerprint + str(id(u.change.change)) for u in result.undisclosed
    }
    assert not disclosed & undisclosed
    assert result.coverage.disclosed + len(result.undisclosed) == result.coverage.substantive
    assert result.clean == (
        not result.undisclosed and not result.unsupported_claims and not result.disagreements
    )


@given(spec_pairs())
def test_naming_every_changed_policy_leaves_nothing_undisclosed(pair) -> None:  # type: ignore[no-untyped-def]
    compared = _diff(pair)
    result = audit(compared, read_notes(_naming_everything(compared), "notes.md"))
    assert [u.change.change.kind for u in result.undisclosed] == []


@given(spec_pairs(), st.text(max_size=200))
def test_a_bullet_more_never_hides_a_disclosure(pair, extra: str) -> None:  # type: ignore[no-untyped-def]
    compared = _diff(pair)
    notes = _naming_everything(compared)
    half = "\n".join(notes.splitlines()[::2]) + "\n"
    before = {
        u.change.change.fingerprint for u in audit(compared, read_notes(half, "n")).undisclosed
    }
    more = half + "- " + " ".join(extra.split()) + "\n"
    after = {
        u.change.change.fingerprint for u in audit(compared, read_notes(more, "n")).undisclosed
    }
    assert after <= before


@given(st.text(max_size=2000))
def test_any_text_reads_as_notes(text: str) -> None:
    notes = read_notes(text, "notes.md")
    assert all(b.line >= 1 for b in notes.bullets)
    assert [b.index for b in notes.bullets] == list(range(len(notes.bullets)))
    for b in notes.bullets:
        assert b.parent is None or b.parent < b.index
