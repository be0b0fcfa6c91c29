"""Accepted changes, `--format github`, `--stat`, `--color` and mistyped choices."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from specver.api import accept, diff, load, parse_text
from specver.config import AcceptEntry, load_accept_file, parse_config
from specver.errors import ConfigError
from specver.render import RenderOptions
from specver.render.fmt_github import render_diff as render_github
from tests.conftest import ACME
from tests.gitutil import commit_file, git

OLD = ACME / "v1.1.0/acme_spec.md"
NEW = ACME / "v2.0.0/acme_spec.md"


def acme_changes(cli) -> list[dict]:
    result = cli("diff", OLD, NEW, "--format", "json")
    assert result.code == 1
    return json.loads(result.out)["changes"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- accepted changes --------------------------------------------------------------------


def test_accepting_every_failing_change_passes_the_gate(cli, tmp_path: Path) -> None:
    changes = acme_changes(cli)
    majors = [c for c in changes if c["level"] == "major"]
    assert majors
    entries = "".join(
        f"  - fingerprint: {c['fingerprint']}\n    reason: reviewed major change {n}\n"
        for n, c in enumerate(majors)
    )
    accept_file = write(tmp_path / "accept.yaml", "accept:\n" + entries)
    gated = cli("diff", OLD, NEW, "--fail-on", "major", "--accept", accept_file)
    assert gated.code == 0, gated.err
    assert gated.err == ""
    assert "[accepted: reviewed major change 0]" in gated.out
    # Still shown: every change is in the JSON, the majors marked with their reason.
    data = json.loads(cli("diff", OLD, NEW, "-f", "json", "--accept", accept_file).out)
    assert len(data["changes"]) == len(changes)
    marked = {c["fingerprint"]: c["accepted"] for c in data["changes"] if c["accepted"]}
    assert set(marked) == {c["fingerprint"] for c in majors}
    assert data["bump"] == "major", "the bump still counts accepted changes"
    # Minor changes are not accepted: without --fail-on, the status is still 1.
    assert cli("diff", OLD, NEW, "--accept", accept_file).code == 1
    assert cli("diff", OLD, NEW, "--fail-on", "minor", "--accept", accept_file).code == 1


def test_kind_and_policy_glob_entries(cli, tmp_path: Path) -> None:
    accept_file = write(
        tmp_path / "accept.yaml",
        "accept:\n"
        "  - kind: authority_changed\n    policy: 'a*'\n    reason: levels reviewed\n"
        "  - kind: policy_removed\n    reason: removals agreed\n",
    )
    data = json.loads(cli("diff", OLD, NEW, "-f", "json", "--accept", accept_file).out)
    for change in data["changes"]:
        expected = (change["kind"] == "authority_changed" and change["policy"].startswith("a")) or (
            change["kind"] == "policy_removed"
        )
        assert (change["accepted"] is not None) == expected, change
    reasons = {c["accepted"]["reason"] for c in data["changes"] if c["accepted"]}
    assert reasons == {"levels reviewed", "removals agreed"}


def test_stale_and_expired_entries_warn(cli, tmp_path: Path) -> None:
    changes = acme_changes(cli)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    first, second = changes[0]["fingerprint"], changes[1]["fingerprint"]
    accept_file = write(
        tmp_path / "accept.yaml",
        "accept:\n"
        f"  - fingerprint: {first}\n    reason: ok\n    expires: {yesterday}\n"
        f"  - fingerprint: {second}\n    reason: fine until tomorrow\n    expires: {tomorrow}\n"
        "  - fingerprint: 000000000000\n    reason: an old change\n",
    )
    result = cli("diff", OLD, NEW, "-f", "json", "--accept", accept_file)
    warnings = result.err.splitlines()
    assert len(warnings) == 2, result.err
    assert "entry 1" in warnings[0] and "expired" in warnings[0] and yesterday in warnings[0]
    assert "entry 3" in warnings[1] and "stale" in warnings[1]
    accepted = {c["fingerprint"] for c in json.loads(result.out)["changes"] if c["accepted"]}
    assert accepted == {second}


def test_blank_reason_is_refused_naming_the_entry(cli, tmp_path: Path) -> None:
    accept_file = write(
        tmp_path / "accept.yaml",
        "accept:\n  - kind: text_changed\n    reason: ok\n  - fingerprint: abcdef012345\n"
        "    reason: '  '\n",
    )
    result = cli("diff", OLD, NEW, "--accept", accept_file)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1
    assert "entry 2" in result.err and "abcdef012345" in result.err and "reason" in result.err


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("accept:\n  - reason: why\n", "fingerprint"),
        ("accept:\n  - fingerprint: abc\n", "reason"),
        ("accept:\n  - fingerprint: abc\n    reason: x\n    expires: someday\n", "YYYY-MM-DD"),
        ("accept:\n  - fingerprint: abc\n    reason: x\n    until: 2026-01-01\n", "until"),
        ("accept:\n  - policy: 'x*'\n    reason: x\n", "kind"),
        ("accept: {a: 1}\n", "list"),
        ("accept: [\n", "YAML"),
    ],
)
def test_malformed_accept_files_are_input_errors(tmp_path: Path, body: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load_accept_file(write(tmp_path / "a.yaml", body))


def test_config_accept_as_a_list_or_a_path(cli, tmp_path: Path, monkeypatch) -> None:
    changes = acme_changes(cli)
    target = changes[0]["fingerprint"]
    inline = parse_config(f"accept:\n  - fingerprint: {target}\n    reason: inline\n")
    assert inline.accept == (AcceptEntry("inline", target, where=".specver.yaml, entry 1"),)
    (tmp_path / "ci").mkdir()
    write(tmp_path / "ci/accept.yaml", f"accept:\n  - fingerprint: {target}\n    reason: filed\n")
    config = write(tmp_path / ".specver.yaml", "accept: ci/accept.yaml\n")
    data = json.loads(cli("diff", OLD, NEW, "-f", "json", "--config", config).out)
    assert data["changes"][0]["accepted"] == {"reason": "filed"}
    # Discovered from the current folder too, and taken by the plain fast-path diff.
    monkeypatch.chdir(tmp_path)
    data = json.loads(cli("diff", OLD, NEW, "--format", "json").out)
    assert data["changes"][0]["accepted"] == {"reason": "filed"}


def test_api_accept_marks_and_warns() -> None:
    result = diff(load(str(OLD)), load(str(NEW)))
    first = result.changes[0]
    entries = (
        AcceptEntry("why", first.fingerprint, where="e1"),
        AcceptEntry("gone", kind="policy_added", policy="nothing_*", where="e2"),
    )
    outcome = accept(result, entries, date.today())
    assert outcome.diff.changes[0].accepted == "why"
    assert all(c.accepted is None for c in outcome.diff.changes[1:])
    assert len(outcome.warnings) == 1 and "e2" in outcome.warnings[0]
    assert result.changes[0].accepted is None, "the original diff is left alone"


def test_write_accept_round_trip(cli, tmp_path: Path) -> None:
    target = tmp_path / "accept.yaml"
    written = cli("diff", OLD, NEW, "--write-accept", target)
    assert written.code == 1 and target.is_file()
    changes = acme_changes(cli)
    entries = load_accept_file(target, allow_blank_reasons=True)
    assert [e.fingerprint for e in entries] == [c["fingerprint"] for c in changes]
    assert all(e.reason == "" for e in entries)
    # Refused until a reason is filled in, naming the first entry without one.
    refused = cli("diff", OLD, NEW, "--accept", target)
    assert refused.code == 2 and "entry 1" in refused.err
    text = target.read_text(encoding="utf-8").replace(
        'reason: ""', 'reason: "looked at: 50% \\"ok\\""'
    )
    write(target, text)
    passed = cli("diff", OLD, NEW, "--accept", target)
    assert passed.code == 0, passed.err
    assert '[accepted: looked at: 50% "ok"]' in passed.out
    # Writing again keeps the reasons already given.
    cli("diff", OLD, NEW, "--accept", target, "--write-accept", target)
    again = load_accept_file(target)
    assert {e.reason for e in again} == {'looked at: 50% "ok"'}


# --- --format github ---------------------------------------------------------------------

COMMAND_RE = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
    ).replace("%25", "%")


def parse_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Read workflow commands back as GitHub's runner does."""
    out = []
    for line in output.splitlines():
        found = COMMAND_RE.match(line)
        assert found, line
        props = {}
        for item in (found.group(2) or "").split(","):
            if item:
                key, _, value = item.partition("=")
                props[key] = unescape(value)
        out.append((found.group(1), props, unescape(found.group(3))))
    return out


def test_github_commands_one_per_change(cli) -> None:
    changes = acme_changes(cli)
    result = cli("diff", OLD, NEW, "--format", "github", "--fail-on", "major")
    assert result.code == 1
    commands = parse_commands(result.out)
    assert len(commands) == len(changes)
    for (name, props, message), change in zip(commands, changes, strict=True):
        expected = {"major": "error", "minor": "warning"}.get(change["level"], "notice")
        assert name == expected, change
        assert change["fingerprint"] in message
        removal = change["new_lines"] is None and change["old_lines"] is not None
        lines = change["old_lines"] if removal else change["new_lines"]
        if lines is None:
            assert "file" not in props
            continue
        assert props["file"] == str(OLD if removal else NEW)
        assert (int(props["line"]), int(props["endLine"])) == tuple(lines)
        assert props["title"] == f"specver: {change['kind']} {change['policy']} ({change['level']})"
    # Without --fail-on there are no errors.
    names = {name for name, _, _ in parse_commands(cli("diff", OLD, NEW, "-f", "github").out)}
    assert names == {"warning", "notice"}


HOSTILE_OLD = """\
# Rules {#rules}

## Odd: title, with 100% of it {#odd authority=user}

The assistant should help.
"""


def test_github_escaping_round_trips() -> None:
    new = HOSTILE_OLD.replace("should help.", "must help.")
    result = diff(parse_text(HOSTILE_OLD, "old.md"), parse_text(new, "dir/a,b%c.md"))
    reason = "line one\r\nline two: 100%, agreed"
    entry = AcceptEntry(reason, kind="text_changed", where="e")
    output = render_github(result, RenderOptions(fail_on="minor"))
    accepted = render_github(accept(result, (entry,), date.today()).diff, RenderOptions())
    for text in (output, accepted):
        assert "\r" not in text and text.count("\n") == len(result.changes) == 1
    ((name, props, message),) = parse_commands(output)
    assert name == "error"
    assert props["file"] == "dir/a,b%c.md", "a property: `,` and `%` escaped"
    assert props["title"] == "specver: text_changed odd (minor)", "`:` escaped in a property"
    assert message.startswith("Odd: title, with 100% of it: ")
    assert message.endswith(f"\nfingerprint: {result.changes[0].fingerprint}")
    ((name, props, message),) = parse_commands(accepted)
    assert name == "notice"
    assert f"accepted: {reason}\n" in message, "CR and LF escaped in the message"
    assert "%0D%0A" in accepted and "100%25" in accepted and "%3A" in accepted.split("::")[1]


def test_github_file_is_the_path_read_even_with_a_colon_in_it(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file path with `:` is named whole; `REV:PATH` names the path inside the repository."""
    edited = HOSTILE_OLD.replace("should help.", "must help.")
    monkeypatch.chdir(tmp_path)
    Path("draft:v2").mkdir()
    write(Path("draft:v2/spec.md"), edited)
    write(Path("old.md"), HOSTILE_OLD)
    ((_, props, _),) = parse_commands(cli("diff", "old.md", "draft:v2/spec.md", "-f", "github").out)
    assert props["file"] == "draft:v2/spec.md"
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "specs").mkdir()
    commit_file(repo, "specs/a:b.md", HOSTILE_OLD, "first")
    commit_file(repo, "specs/a:b.md", edited, "second")
    result = cli("diff", "HEAD~1:specs/a:b.md", "HEAD:specs/a:b.md", "-f", "github", "--repo", repo)
    ((_, props, _),) = parse_commands(result.out)
    assert props["file"] == "specs/a:b.md"


def test_github_accepted_changes_are_notices_with_their_reason(cli, tmp_path: Path) -> None:
    changes = acme_changes(cli)
    major = next(c for c in changes if c["level"] == "major")
    accept_file = write(
        tmp_path / "a.yaml",
        f"accept:\n  - fingerprint: {major['fingerprint']}\n    reason: 'agreed, see #12'\n",
    )
    out = cli("diff", OLD, NEW, "-f", "github", "--fail-on", "major", "--accept", accept_file).out
    found = [c for c in parse_commands(out) if major["fingerprint"] in c[2]]
    assert len(found) == 1
    name, _, message = found[0]
    assert name == "notice" and "accepted: agreed, see #12" in message


def test_github_step_summary_gets_the_markdown_report(cli, tmp_path: Path, monkeypatch) -> None:
    summary = write(tmp_path / "summary.md", "## Earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli("diff", OLD, NEW, "--format", "github")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Earlier step\n")
    assert "### Spec diff:" in text and "**Suggested bump: major**" in text
    cli("diff", OLD, NEW, "--format", "json")
    assert summary.read_text(encoding="utf-8") == text, "only --format github writes it"


# --- --stat, --color, choices ------------------------------------------------------------


def test_stat_one_line_per_policy(cli) -> None:
    changes = acme_changes(cli)
    result = cli("diff", OLD, NEW, "--stat")
    assert result.code == 1
    *rows, total = result.out.splitlines()
    policies = list(dict.fromkeys(c.get("policy") for c in changes if c.get("policy")))
    renames = [c for c in changes if not c.get("policy")]
    assert len(rows) == len(policies) + len(renames)
    named = [row.split("|")[0].strip() for row in rows]
    assert set(policies) <= set(named)
    for row in rows:
        name, _, rest = row.partition("|")
        count = int(rest.split()[0])
        if name.strip() in policies:
            assert count == sum(1 for c in changes if c.get("policy") == name.strip())
    assert total.strip().startswith(f"{len(rows)} policies changed, {len(changes)} changes")
    assert total.endswith("suggested bump: major")
    assert cli("diff", OLD, NEW, "--stat", "--format", "json").code == 2


def test_color_always_never_auto(cli, monkeypatch) -> None:
    escape = "\x1b["
    assert escape in cli("diff", OLD, NEW, "--color", "always").out
    assert escape not in cli("diff", OLD, NEW, "--color", "never").out
    assert escape not in cli("diff", OLD, NEW).out, "auto: not a terminal, no colour"
    assert escape in cli("show", NEW, "--color", "always").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert escape in cli("check", NEW, "--color", "always").out, "always beats NO_COLOR"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("diff", OLD, NEW, "--fail-on", "maj"),
            "--fail-on 'maj': expected one of major, minor, patch",
        ),
        (
            ("diff", OLD, NEW, "--format", "jsn"),
            "expected one of text, markdown, json, html, github",
        ),
        (
            ("diff", OLD, NEW, "--color", "yes"),
            "--color 'yes': expected one of auto, always, never",
        ),
        (("impact", OLD, NEW, "--audience", "dev"), "expected one of all, developers, users"),
        (("bump", OLD, NEW, "--scheme", "calendar"), "expected one of semver, calver"),
        (("show", NEW, "--format", "xml"), "--format 'xml': expected one of text, json"),
    ],
)
def test_mistyped_choice_names_the_choices(cli, args: tuple, message: str) -> None:
    result = cli(*args)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("specver: error: ") and result.err.count("\n") == 1
    assert message in result.err


def test_mistyped_choice_suggests_the_closest(cli) -> None:
    assert "(did you mean major?)" in cli("diff", OLD, NEW, "--fail-on", "maj").err
