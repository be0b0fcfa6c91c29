"""Every change kind appears in every view, as the table of kinds (`diff/kinds.py`) says.

One change of each kind (and of each variant) is built from its details class's type hints,
put in a diff, and taken through every view: the bump table and `.specver.yaml` overrides,
the changelog's groups and sentences, each impact role, the evals to re-run, every diff
renderer (text, markdown, json, html), the changelog renderers, the history cache and the
kinds documented in docs/diff.md. A kind added to the table (or a details class added
without a row) fails here until every view knows it.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import MISSING, fields
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from markupsafe import escape

from specver.config import BUMP_LEVELS, parse_config
from specver.diff.details import AuthorityLevelRenamed, VerdictFlip
from specver.diff.kinds import (
    BY_NAME,
    GROUPS,
    KIND_NAMES,
    KINDS,
    LEVELS,
    ROLES,
    change_level,
    describe,
    kind_of,
    variant_of,
)
from specver.diff.normative import StatementChange
from specver.history.cache import HistoryCache
from specver.release.changelog import build_entry, entry_data, entry_markdown
from specver.render import DIFF_RENDERERS, IMPACT_RENDERERS, RenderOptions, render
from specver.render.fmt_github import escape_data
from specver.render.fmt_json import change_json
from specver.report.impact import assess_impact
from specver.report.views import diff_view, impact_view
from specver.spec.model import Change, ChangeDetails, Policy, PolicyPair, Spec, SpecDiff
from specver.wording import md_escape, md_text

from .conftest import ROOT

POLICY = "guard_data"
"""The one policy every sample change names: root level (protected), citing an eval file."""

VALUES: dict[str, Any] = {
    "authority": "root",
    "old": "root",
    "new": "user",
    "direction": "lowered",
    "matched_by": "title",
    "merged_into": None,
    "change": "substantive",
    "policies": (POLICY,),
    "answers": (VerdictFlip("an answer", "GOOD", "BAD"),),
    "verdict": "loosened",
    "normative": (
        StatementChange(
            "loosened",
            "modality_weakened",
            "The assistant must ask.",
            "The assistant should ask.",
            "Obligation to recommendation: “The assistant must ask” now reads “The assistant "
            "should ask”, which binds less.",
            "modality_weakened",
            "must",
            "should",
            "loosened",
            "The assistant should ask.",
        ),
    ),
}
"""Field values that make a sample change meaningful (a protected level left, a verdict flip)."""

VARIANTS: dict[str, dict[str, Any]] = {
    "text_changed.substantive": {"change": "substantive"},
    "text_changed.copyedit": {"change": "copyedit", "normative": (), "verdict": "unchanged"},
    "policy_removed.merged": {"merged_into": "keep_data"},
}
"""The field values that make a change one of its kind's variants."""


def _sample(hint: Any, name: str) -> Any:
    """A value of a type hint: `VALUES[name]`, else one made from the type."""
    if name in VALUES:
        return VALUES[name]
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, UnionType):
        return _sample(next(a for a in args if a is not NoneType), name)
    if origin is tuple:
        return (_sample(args[0], name),)
    if hint is bool:
        return True
    if hint is int:
        return 1
    if hint is float:
        return 0.5
    if hint is str:
        return f"{name}-value"
    raise AssertionError(f"no sample for {name}: {hint}")


def sample_details(cls: type[ChangeDetails], **given: Any) -> ChangeDetails:
    """Details of one kind with a sample value for every field without a default."""
    hints = get_type_hints(cls)
    values = {
        f.name: given.get(f.name, _sample(hints[f.name], f.name))
        for f in fields(cls)
        if f.name in given or f.default is MISSING
    }
    return cls(**values)


def _cases() -> list[tuple[str, dict[str, Any]]]:
    """(kind or `kind.variant`, field values): each kind plainly, then each of its variants."""
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        plain = sample_details(kind.details)
        out.setdefault(kind.variant(plain.variant).key, {})
        for variant in kind.variants:
            out[variant.key] = VARIANTS[variant.key]
    return list(out.items())


CASES = _cases()
"""Every kind, once per variant (and once plain where a change can be none of its variants)."""

IDS = [key for key, _given in CASES]


def sample_change(key: str, given: dict[str, Any] | None = None) -> Change:
    """A change of a kind (made a variant by `given`) naming `POLICY`, with the table's level."""
    kind = BY_NAME[key.split(".")[0]]
    details = sample_details(kind.details, **(given or {}))
    change = Change(POLICY if kind.names_policy else None, details)
    return Change(change.policy, details, change_level(change))


def _spec(source: str) -> Spec:
    policy = Policy(POLICY, "Guard user data", 1, None, "root", footnotes=("privacy_eval",))
    return Spec(source, source * 4, (policy,))


def sample_diff(*changes: Change) -> SpecDiff:
    """A diff of one root-level policy to itself that reports the given changes."""
    pairs = (PolicyPair(POLICY, POLICY, "id", 1.0),)
    bump = max((c.level for c in changes), key=BUMP_LEVELS.index, default="none")
    return SpecDiff(_spec("old.md"), _spec("new.md"), pairs, changes, bump)


# --- the table itself ----------------------------------------------------------------------


def _subclasses(cls: type[Any]) -> set[type[Any]]:
    """Subclasses of a class that their module defines (`slots=True` leaves a stale copy)."""
    out = set()
    for sub in cls.__subclasses__():
        if getattr(sys.modules[sub.__module__], sub.__qualname__, None) is sub:
            out |= {sub} | _subclasses(sub)
    return out


def test_every_details_class_has_a_row_and_every_row_its_own_class() -> None:
    assert {k.details for k in KINDS} == _subclasses(ChangeDetails)
    assert len({k.details for k in KINDS}) == len(KINDS) == len(KIND_NAMES)
    assert all(k.details.kind == k.name for k in KINDS)


def test_every_kind_and_variant_has_a_level_group_and_role() -> None:
    for kind in KINDS:
        assert kind.role in ROLES
        for variant in (kind.base, *kind.variants):
            assert LEVELS[variant.key] in BUMP_LEVELS
            assert variant.group in GROUPS
            assert variant.key.split(".")[0] == kind.name
    assert {v.key for k in KINDS for v in k.variants} <= {key for key, _given in CASES}


@pytest.mark.parametrize(("key", "given"), CASES, ids=IDS)
def test_a_change_takes_its_variants_level_and_an_override_from_specver_yaml(
    key: str, given: dict[str, Any]
) -> None:
    change = sample_change(key, given)
    assert variant_of(change).key == key
    assert change.level == LEVELS[key]
    other = next(lv for lv in BUMP_LEVELS if lv != LEVELS[key])
    for written in {key, change.kind}:
        config = parse_config(f"bump:\n  {written}: {other}\n")
        assert change_level(change, config.bump_overrides) == other
    unrelated = next(k for k in KIND_NAMES if k != change.kind)
    config = parse_config(f"bump:\n  {unrelated}: {other}\n")
    assert change_level(change, config.bump_overrides) == LEVELS[key]


# --- changelog -----------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "given"), CASES, ids=IDS)
def test_a_change_is_written_under_its_changelog_group(key: str, given: dict[str, Any]) -> None:
    change = sample_change(key, given)
    name = change.kind
    entry = build_entry(sample_diff(change), "1.0.0", "2026-01-01", show_all=True)
    (group,) = entry.groups
    (line,) = group.lines
    assert (group.name, line.kind) == (variant_of(change).group, name)
    assert line.plain and line.markdown and line.plain.endswith(".")
    assert line.markdown in entry_markdown(entry)
    assert [e["kind"] for g in entry_data(entry)["groups"] for e in g["entries"]] == [name]
    short = build_entry(sample_diff(change), "1.0.0", "2026-01-01")
    summarized = variant_of(change).summarized
    assert (not short.groups or short.groups[0].lines[0].kind == "copy_edits") == summarized


def test_batched_kinds_share_one_sentence_per_policy() -> None:
    for kind in KINDS:
        changes = (sample_change(kind.name), sample_change(kind.name))
        assert changes[0].kind == kind.name
        entry = build_entry(sample_diff(*changes), "1.0.0", "2026-01-01", show_all=True)
        assert len(entry.lines) == (1 if kind.batched else 2), kind.name


# --- impact --------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "given"), CASES, ids=IDS)
def test_a_change_plays_its_role_in_the_impact_report(key: str, given: dict[str, Any]) -> None:
    change = sample_change(key, given)
    name = change.kind
    impact = assess_impact(sample_diff(change))
    steer = impact.steerability
    shifts = steer.restricted + steer.relaxed + steer.unchanged + steer.added + steer.removed
    role = kind_of(change).role
    safeguards = [(s.kind, s.direction) for s in impact.safeguards]
    assert bool(steer.renames) == (role == "rename")
    assert bool(shifts) == (role in ("control", "arrival", "departure"))
    if role in ("arrival", "departure"):
        assert [s.cause for s in shifts] == [name]
    if role == "rename":
        assert safeguards == []
    elif role == "rule":
        normative = change.details.normative
        assert safeguards == [(name, n.direction) for n in normative]
    elif role == "verdict":
        assert safeguards == [(name, "tightened")]
    elif role == "metadata":  # the front matter names no policy
        assert safeguards == [] and change.policy is None
    else:  # a change to a protected (root-level) policy is a safeguard item
        assert [kind for kind, _direction in safeguards] == [name]
    assert dict(impact.scope.changes_by_kind) == {name: 1}


@pytest.mark.parametrize(("key", "given"), CASES, ids=IDS)
def test_a_change_reruns_the_cited_evals_when_the_table_says_so(
    key: str, given: dict[str, Any]
) -> None:
    change = sample_change(key, given)
    name = change.kind
    reruns = assess_impact(sample_diff(change)).evals.reruns
    expected = variant_of(change).reruns_evals and change.policy is not None
    assert [(r.policy, r.reasons, r.evals) for r in reruns] == (
        [(POLICY, (name,), ("privacy_eval",))] if expected else []
    )


# --- renderers, JSON contract, cache -------------------------------------------------------


def _shown(change: Change) -> list[str]:
    """What a human-readable report must show of a change: its phrase, or a rename's levels."""
    details = change.details
    if isinstance(details, AuthorityLevelRenamed):
        return [str(details.old), str(details.new), "renamed"]
    return [describe(change)]


@pytest.mark.parametrize("fmt", sorted(DIFF_RENDERERS))
@pytest.mark.parametrize(("key", "given"), CASES, ids=IDS)
def test_every_renderer_shows_every_kind(key: str, given: dict[str, Any], fmt: str) -> None:
    change = sample_change(key, given)
    name = change.kind
    out = render(DIFF_RENDERERS, fmt, diff_view(sample_diff(change), fmt), RenderOptions(width=400))
    if fmt == "json":
        (shown,) = json.loads(out)["changes"]
        assert shown == json.loads(json.dumps(change_json(change)))
        return
    escaped = {
        "markdown": md_text,
        "html": lambda s: str(escape(s)),
        "text": str,
        "github": escape_data,
    }[fmt]
    assert name in out
    for text in _shown(change):
        assert escaped(text) in out, (fmt, text)


@pytest.mark.parametrize("fmt", sorted(IMPACT_RENDERERS))
@pytest.mark.parametrize(("key", "given"), CASES, ids=IDS)
def test_every_impact_renderer_shows_what_each_kind_does(
    key: str, given: dict[str, Any], fmt: str
) -> None:
    change = sample_change(key, given)
    impact = assess_impact(sample_diff(change))
    out = render(IMPACT_RENDERERS, fmt, impact_view(impact, fmt), RenderOptions(width=400))
    escaped = {
        "markdown": md_escape,
        "html": lambda s: str(escape(s)),
        "text": str,
        "json": lambda s: json.dumps(s, ensure_ascii=False)[1:-1],
    }[fmt]
    for item in impact.safeguards:
        assert escaped(item.description) in out, (fmt, item.description)
    for rename in impact.steerability.renames:
        assert escaped(rename.old) in out and escaped(rename.new) in out
    for rerun in impact.evals.reruns:  # named as written, as a code span or path in Markdown
        assert rerun.evals[0] in out or escaped(rerun.evals[0]) in out


@pytest.mark.parametrize(("key", "given"), CASES, ids=IDS)
def test_the_json_contract_gives_kind_policy_level_then_the_details_fields(
    key: str, given: dict[str, Any]
) -> None:
    change = sample_change(key, given)
    data = change_json(change)
    head = ["kind", "policy", "level"] if change.policy else ["kind", "level"]
    where = ["old_lines", "new_lines", "heading_line", "fingerprint", "accepted"]
    assert list(data) == head + where + [f.name for f in fields(change.details)]


def test_the_history_cache_rebuilds_every_kinds_typed_details(tmp_path: Path) -> None:
    changes = tuple(sample_change(name, variant) for name, variant in CASES)
    pairs = (PolicyPair(POLICY, POLICY, "id", 1.0),)
    outline = ((POLICY,), ("Guard data",), 1)
    stored = HistoryCache(tmp_path, parse_config(""))
    stored.store_step("a" * 40, "b" * 40, outline, outline, (pairs, changes, "major"))
    stored.save()
    found = HistoryCache(tmp_path, parse_config("")).step("a" * 40, "b" * 40, outline, outline)
    assert found == (pairs, changes, "major")
    assert [type(c.details) for c in found[1]] == [type(c.details) for c in changes]


# --- documentation and golden cases ---------------------------------------------------------

KIND_HEADER = "| kind | level | details |"


def _documented() -> dict[str, str]:
    """Kind -> the details column of its row in docs/diff.md's table of change kinds."""
    text = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    table = text.split(KIND_HEADER, 1)[1].split("\n\n", 1)[0]
    rows: dict[str, str] = {}
    for line in table.splitlines()[2:]:
        names, _level, details = line.strip("|").split(" | ")
        for name in re.findall(r"`([a-z_]+)`", names):
            rows[name] = details
    return rows


def test_docs_list_every_kind_with_its_fields() -> None:
    rows = _documented()
    assert sorted(rows) == sorted(KIND_NAMES)
    for kind in KINDS:
        documented = set(re.findall(r"`([a-z_]+)`", rows[kind.name]))
        own = {f.name for f in fields(kind.details)} - {"title"}
        assert own <= documented, (kind.name, own - documented)


@pytest.mark.parametrize(("key", "given"), CASES, ids=IDS)
def test_every_change_of_a_policy_carries_its_title(key: str, given: dict[str, Any]) -> None:
    """As docs/diff.md promises: only a level rename, which names no policy, has none."""
    change = sample_change(key, given)
    assert ("title" in change_json(change)) == (change.policy is not None)
    assert change.details.policy_title == (None if change.policy is None else "title-value")


def test_the_golden_diff_cases_hold_every_kind() -> None:
    """So the committed text, Markdown and JSON outputs show every kind at least once."""
    found: set[str] = set()
    for path in (ROOT / "tests" / "golden" / "diff").glob("*.json"):
        found |= {c["kind"] for c in json.loads(path.read_text(encoding="utf-8"))["changes"]}
    assert found == set(KIND_NAMES)


# --- .specver.yaml bump overrides, end to end ----------------------------------------------


def test_a_bump_override_by_variant_changes_the_diffs_bump_and_a_typo_is_refused(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = ROOT / "fixtures" / "cases" / "text-copyedit"
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the config is looked up no further than the repository
    assert (
        json.loads(cli("diff", case / "old.md", case / "new.md", "--format", "json").out)["bump"]
        == LEVELS["text_changed.copyedit"]
    )
    (tmp_path / ".specver.yaml").write_text("bump:\n  text_changed.copyedit: major\n")
    result = cli("diff", case / "old.md", case / "new.md", "--format", "json")
    assert (result.code, json.loads(result.out)["bump"]) == (1, "major")
    (tmp_path / ".specver.yaml").write_text("bump:\n  text_change.copyedit: none\n")
    result = cli("diff", case / "old.md", case / "new.md")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "`text_change.copyedit`" in result.err
