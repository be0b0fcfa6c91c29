"""Properties of the commands built on the diff: changelog, bump, impact, fork and merge.

Generated specs come from tests/strategies.py; every property runs under the suite's
hypothesis profile (`ci`: fixed and derandomized) with half its example budget, since each
example runs a whole command (two or three parses, diffs and renders).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from specver import api
from specver.__main__ import main
from specver.config import BUMP_LEVELS
from specver.diff.kinds import KIND_NAMES as KINDS
from specver.errors import NothingChanged
from specver.fork.compare import MARK_FORK, compare_fork, merge_fork
from specver.release.versioning import version_key
from specver.render import FORK_RENDERERS, IMPACT_RENDERERS, RenderOptions, render
from specver.report.impact import assess_impact
from specver.report.views import impact_view
from specver.spec.markers import conflict_marker_lines
from specver.spec.parse import normalize_text, parse

from .strategies import gen_specs, mutate, mutation_plans, render_spec, spec_pairs, words

HALF_BUDGET = settings(max_examples=max(10, settings.default.max_examples // 2))
"""Half the loaded profile's examples (20 under `ci`); HYPOTHESIS_PROFILE=dev scales it up."""
DOCS = Path(__file__).resolve().parents[1] / "docs"
DAY = "2026-06-01"


def run_cli(*args: object) -> tuple[int, str, str]:
    """specver in-process (usable inside @given, where pytest fixtures are not)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


# --- changelog --write ---------------------------------------------------------------------

HAND_HEADINGS = ("## [{v}] - 2025-01-0{d}", "## {v}", "## v{v} ({date})", "### [{v}]")


@st.composite
def changelogs(draw: st.DrawFn) -> str:
    """A hand-written CHANGELOG.md: LF or CRLF, maybe a title, prose, an Unreleased section,
    earlier releases in one heading style, link references, maybe no final newline."""
    newline = draw(st.sampled_from(("\n", "\r\n")))
    blocks: list[str] = []
    if draw(st.booleans()):
        blocks.append(draw(st.sampled_from(("# Changelog", "# History", "Changelog\n========="))))
    if draw(st.booleans()):
        blocks.append(f"Notes *kept* as written: {draw(words)}.")
    if draw(st.booleans()):
        bullets = draw(st.lists(words, max_size=2))
        blocks.append("\n".join(["## [Unreleased]", "", *(f"- {b}." for b in bullets)]))
    style = draw(st.sampled_from(HAND_HEADINGS))
    for k in range(draw(st.integers(0, 3)), 0, -1):
        head = style.format(v=f"0.{k}.0", d=k, date=f"2025-02-0{k}")
        bullet = draw(st.sampled_from("-*+"))
        blocks.append(f"{head}\n\n{bullet} {draw(words)}.\n{bullet} `code` and [a link](#x).")
    if draw(st.booleans()):
        blocks.append("[0.1.0]: https://example.invalid/0.1.0")
    text = "\n\n".join(blocks)
    if text and draw(st.booleans()):
        text += "\n"
    return text.replace("\n", newline)


def _outside_entry_unchanged(before: bytes, after: bytes) -> bool:
    """Whether `after` is `before` with one run of bytes inserted (or `before` replaced by a
    file it is a prefix or suffix of): every byte of the old file kept, in order, around it."""
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < len(before) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return head + tail == len(before)


@HALF_BUDGET
@given(spec_pairs(), changelogs())
def test_changelog_write_twice_equals_once_through_the_cli(pair, existing: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        old, new, log = Path(folder, "old.md"), Path(folder, "new.md"), Path(folder, "CL.md")
        old.write_text(pair[0], encoding="utf-8")
        new.write_text(pair[1], encoding="utf-8")
        original = existing.encode("utf-8")
        if existing:
            log.write_bytes(original)
        args = ("changelog", old, new, "--version", "9.0.0", "--date", DAY, "--write", log)
        code, _out, err = run_cli(*args)
        if code == 1:  # the pair does not differ: nothing may be written
            assert "no changes" in err
            assert (log.read_bytes() if log.exists() else b"") == original
            return
        assert code == 0, err
        once = log.read_bytes()
        assert b"9.0.0" in once
        assert _outside_entry_unchanged(original, once) or not existing
        assert run_cli(*args)[0] == 0
        assert log.read_bytes() == once
        if "\r\n" in existing:
            assert b"\n" not in once.replace(b"\r\n", b""), "line endings were mixed"
        assert sorted(p.name for p in Path(folder).iterdir()) == ["CL.md", "new.md", "old.md"]


# --- bump ----------------------------------------------------------------------------------

CURRENT = {"semver": ("0.3.9", "1.2.3", "v2.0.0-rc.1"), "calver": ("v2025.01.31", "v2025.01.31.2")}


@HALF_BUDGET
@given(st.data(), st.sampled_from(sorted(CURRENT)))
def test_bump_through_the_api_never_decreases_when_a_change_is_added(data, scheme) -> None:
    from datetime import date

    base = data.draw(gen_specs())
    plan = data.draw(mutation_plans(base, max_steps=5))
    current = data.draw(st.sampled_from(CURRENT[scheme]))
    a = parse(render_spec(base))

    def next_version(steps: list[tuple[str, str]]) -> str:
        try:
            decided = api.bump(
                a, parse(render_spec(mutate(base, steps))), current, day=date(2026, 6, 1)
            )
        except NothingChanged:
            return current
        assert decided.scheme == scheme
        assert version_key(decided.version) > version_key(current)
        return decided.version

    assert version_key(next_version(plan[:-1])) <= version_key(next_version(plan))


# --- impact --------------------------------------------------------------------------------


def documented_tables() -> dict[str, dict[str, set[str]]]:
    """docs/impact.md's JSON tables: caption -> {field: sub-fields named in its meaning}."""
    text = (DOCS / "impact.md").read_text(encoding="utf-8")
    json_part = text.split("## JSON", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, dict[str, set[str]]] = {}
    caption = ""
    for line in json_part.splitlines():
        if line.endswith(":") and not line.startswith("|"):
            caption = line.rstrip(":").strip()
            tables[caption] = {}
        elif line.startswith("|") and not line.startswith(("| Field", "|---")):
            cells = line.strip("|").split("|", 1)
            meaning = re.sub(r"\([^()]*\)", "", cells[1])
            named = set(re.findall(r"`([a-z_0-9]+)`", meaning))
            for field in re.findall(r"`([a-z_0-9]+)`", cells[0]):
                tables[caption][field] = named
    return tables


DOC = documented_tables()


def _keys(obj: dict[str, Any], table: dict[str, set[str]], where: str) -> None:
    assert set(obj) == set(table), f"{where}: {sorted(set(obj) ^ set(table))}"


def _steerability(steer: dict[str, Any]) -> None:
    _keys(steer, DOC["`steerability`"], "steerability")
    shift = DOC["A control shift"]
    for key in (
        "no_longer_overridable",
        "now_overridable",
        "control_unchanged",
        "new_rules",
        "rules_removed",
    ):
        for item in steer[key]:
            _keys(item, shift, key)
            assert item["cause"] in shift["cause"] and item["direction"] in shift["direction"]
    for item in steer["level_renames"]:
        assert set(item) == DOC["`steerability`"]["level_renames"]


def _safeguards(items: list[dict[str, Any]]) -> None:
    table = DOC["`safeguards` is a list of items"]
    for item in items:
        _keys(item, table, "safeguards")
        assert item["direction"] in table["direction"] and item["kind"] in KINDS


def _evals(evals: dict[str, Any]) -> None:
    table = DOC["`evals`"]
    _keys(evals, table, "evals")
    for key in ("reruns", "uncited"):
        for item in evals[key]:
            assert set(item) == table[key], item


def _scope(scope: dict[str, Any]) -> None:
    table = DOC["`scope`"]
    _keys(scope, table, "scope")
    for item in scope["levels"]:
        assert set(item) == table["levels"]
    assert set(scope["groupings"]) == table["groupings"]
    assert set(scope["changes_by_kind"]) <= set(KINDS)
    for share in ("share_sections_changed", "share_prose_changed"):
        assert 0 <= scope[share] <= 1


SECTION_CHECKS = {
    "steerability": _steerability,
    "safeguards": _safeguards,
    "evals": _evals,
    "scope": _scope,
}


def _rules(entries: list[dict[str, Any]]) -> None:
    table = DOC["`rules` is a list of entries, one per paired policy whose text changed"]
    statement = DOC["A changed statement"]
    for entry in entries:
        _keys(entry, table, "rules")
        assert entry["verdict"] in table["verdict"]
        for item in entry["statements"]:
            _keys(item, statement, "rules.statements")
            assert item["effect"] in statement["effect"]


def validate_impact_json(data: dict[str, Any]) -> None:
    """Check an impact JSON document against the fields docs/impact.md lists."""
    top = DOC["Top level"]
    fixed = {"schema", "old", "new", "audience", "sections", "bump", "summary", "rules"}
    assert fixed | set(data["sections"]) == set(data)
    assert set(data) <= set(top) and set(SECTION_CHECKS) <= set(top)
    assert data["schema"] == "specver.impact/1"
    assert data["bump"] in BUMP_LEVELS
    assert 3 <= len(data["summary"]) <= 5 and all(isinstance(s, str) for s in data["summary"])
    for side in ("old", "new"):
        assert set(data[side]) == top["old"]
    for section in data["sections"]:
        SECTION_CHECKS[section](data[section])
    _rules(data["rules"])


def test_the_documented_impact_tables_are_read() -> None:
    assert {"Top level", "`steerability`", "A control shift", "`evals`", "`scope`"} <= set(DOC)
    assert DOC["A control shift"]["direction"] == {
        "restricted",
        "relaxed",
        "unchanged",
        "added",
        "removed",
    }
    assert DOC["`evals`"]["reruns"] >= {"policy", "files", "reasons", "missing", "dropped"}


@HALF_BUDGET
@given(spec_pairs(), st.sampled_from(("all", "developers", "users", "regulators")))
def test_impact_never_raises_and_its_json_is_the_documented_one(pair, audience) -> None:
    result = api.diff(parse(pair[0], source="old.md"), parse(pair[1], source="new.md"))
    assessed = assess_impact(result, api.Config().scheme, audience)
    for fmt in IMPACT_RENDERERS:
        assert render(IMPACT_RENDERERS, fmt, impact_view(assessed, fmt), RenderOptions()).strip()
    data = json.loads(render(IMPACT_RENDERERS, "json", assessed, RenderOptions()))
    assert data["audience"] == audience
    validate_impact_json(data)


# --- fork and merge ------------------------------------------------------------------------


@st.composite
def fork_triples(draw: st.DrawFn) -> tuple[str, str, str]:
    """(base, upstream, fork): two independent mutations of one generated spec."""
    base = draw(gen_specs())
    up = mutate(base, draw(mutation_plans(base)), seed=draw(st.integers(0, 99)))
    fk = mutate(base, draw(mutation_plans(base)), seed=draw(st.integers(0, 99)))
    return render_spec(base), render_spec(up), render_spec(fk)


def same_policies(text: str, expected: str) -> None:
    """Two spec texts hold the same policies: same ids in the same order, and no change."""
    got, want = parse(text, source="merged.md"), parse(expected, source="expected.md")
    assert [p.id for p in got] == [p.id for p in want]
    assert api.diff(want, got).changes == ()


@HALF_BUDGET
@given(spec_pairs())
def test_a_fork_identical_to_upstream_has_no_conflicts(pair) -> None:
    base, other = parse(pair[0], source="base.md"), parse(pair[1], source="a.md")
    report = compare_fork(base, other, parse(pair[1], source="a2.md"))
    assert report.conflicts == ()
    assert report.drift.differing == 0
    for fmt in FORK_RENDERERS:
        assert render(FORK_RENDERERS, fmt, report, RenderOptions()).strip()


@HALF_BUDGET
@given(spec_pairs())
def test_an_untouched_fork_takes_every_upstream_change_cleanly(pair) -> None:
    base, upstream = parse(pair[0], source="base.md"), parse(pair[1], source="up.md")
    report = compare_fork(base, upstream, parse(pair[0], source="fork.md"))
    assert report.ours == ()
    assert report.conflicts == () and report.theirs_overlapping == ()
    assert all(how == "clean" for _change, how in report.theirs)
    merged = merge_fork(report, pair[1], pair[0])
    assert merged.conflicts == ()
    same_policies(merged.text, pair[1])
    assert merged.text == normalize_text(pair[1])  # upstream, exactly as written


@HALF_BUDGET
@given(spec_pairs())
def test_merging_an_unchanged_upstream_reproduces_the_fork(pair) -> None:
    base, fork = parse(pair[0], source="base.md"), parse(pair[1], source="fork.md")
    report = compare_fork(base, parse(pair[0], source="up.md"), fork)
    assert report.theirs_clean == () and report.conflicts == ()
    merged = merge_fork(report, pair[0], pair[1])
    assert merged.conflicts == ()
    same_policies(merged.text, pair[1])
    assert merged.text == normalize_text(pair[1])  # the fork, exactly as written


@HALF_BUDGET
@given(fork_triples())
def test_merge_output_always_parses(triple) -> None:
    base, up, fk = (parse(t, source=n) for t, n in zip(triple, ("b", "u", "f"), strict=True))
    report = compare_fork(base, up, fk)
    merged = merge_fork(report, triple[1], triple[2])
    spec = parse(merged.text, source="merged.md")
    assert len(spec) > 0
    assert set(merged.conflicted) == {c.policy for c in report.conflicts}
    if not merged.conflicts:
        assert "<<<<<<<" not in merged.text
    # markers included: three lines per conflict (four with --diff3), each reported by check
    for diff3, per in ((False, 3), (True, 4)):
        written = merge_fork(report, triple[1], triple[2], diff3=diff3) if diff3 else merged
        lines = written.text.split("\n")
        markers = conflict_marker_lines(lines)
        assert len(markers) == per * len(written.conflicts)
        assert all(lines[c.line - 1].startswith(MARK_FORK) for c in written.conflicts)
        read = parse(written.text, source="merged.md")
        noted = [d.line for d in read.diagnostics if d.code == "conflict_marker"]
        assert noted == list(markers)
    for fmt in FORK_RENDERERS:
        assert render(FORK_RENDERERS, fmt, report, RenderOptions()).strip()
