"""Changelog entries: sentences, groups, escaping, golden files, and byte-safe insertion."""

from __future__ import annotations

import json
from pathlib import Path

import pyromark
import pytest

from specver.api import diff, load
from specver.errors import InputError
from specver.release.changelog import (
    MARKER,
    build_entry,
    detect_style,
    entry_markdown,
    insert_entry,
    write_entry,
)

from .golden_util import assert_golden

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "fixtures" / "acme"
CASES = ROOT / "fixtures" / "cases"


def acme_entry(old: str, new: str, version: str, day: str = "2026-04-01", **kw):
    result = diff(load(str(ACME / old / "acme_spec.md")), load(str(ACME / new / "acme_spec.md")))
    return build_entry(result, version, day, **kw)


def test_entry_groups_and_sentences_for_the_major_step():
    entry = acme_entry("v1.1.0", "v2.0.0", "2.0.0")
    text = entry_markdown(entry)
    assert [g.name for g in entry.groups] == ["Added", "Changed", "Removed"]
    changed = [line.kind for line in entry.groups[1].lines]
    # authority first, then the policies' own changes, the copy-edit count, examples last
    assert changed[:5] == ["authority_level_renamed"] + ["authority_changed"] * 4
    assert changed.index("copy_edits") < changed.index("example_verdict_changed")
    assert [line.kind for line in entry.groups[2].lines] == [
        "policy_removed",
        "policy_removed",
        "example_removed",
    ]
    assert text.startswith("## [2.0.0] - 2026-04-01\n")
    assert "- Renames the `platform` authority level to `root` (9 policies).\n" in text
    assert (
        "- Lowers **Do not facilitate illegal activity** (`no_illegal_activity`) from platform"
        " to system: system messages can now override it.\n"
    ) in text
    assert "- Adds **Protect minors** (`protect_minors`, root).\n" in text
    assert "- Merges **Be friendly** (`friendly`) into **Style** (`style`)" in text
    assert "- Removes **Use humour when it fits** (`use_humour`, user).\n" in text
    assert "“should” is now “must”: “If the assistant notices that what the user asked" in text
    # the two moves a merge implies are not listed again
    assert "Moves **Be warm and courteous**" not in text


def test_copy_edits_are_counted_in_one_line_unless_all():
    entry = acme_entry("v1.0.0", "v1.1.0", "1.1.0")
    text = entry_markdown(entry)
    assert "- 4 other policies received copy edits.\n" in text
    assert set(entry.copy_edits) == {"be_clear", "stay_in_scope", "use_markdown", "protect_privacy"}
    assert "Copy-edits" not in text
    listed = entry_markdown(acme_entry("v1.0.0", "v1.1.0", "1.1.0", show_all=True))
    assert "received copy edits" not in listed
    assert listed.count("- Copy-edits ") == 4


def test_hostile_titles_cannot_inject_markup():
    result = diff(load(str(CASES / "hostile" / "old.md")), load(str(CASES / "hostile" / "new.md")))
    text = entry_markdown(build_entry(result, "1.0.1", "2026-01-01"))
    kinds: set[str] = set()
    for event in pyromark.events(text):
        key, value = (event, None) if isinstance(event, str) else next(iter(event.items()))
        kinds.add(key)
        if key == "Start":
            kinds.add(value if isinstance(value, str) else next(iter(value)))
    assert "InlineHtml" not in kinds and "Html" not in kinds and "HtmlBlock" not in kinds
    assert "Link" not in kinds and "Text" in kinds
    html = pyromark.html(text)
    assert "<script>" not in html and "<img" not in html
    assert "Escape &lt;script&gt;" in text


def test_golden_markdown_and_json_for_acme_major_step(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = ["fixtures/acme/v1.1.0/acme_spec.md", "fixtures/acme/v2.0.0/acme_spec.md"]
    args += ["--version", "2.0.0", "--date", "2026-04-01"]
    md = cli("changelog", *args)
    assert md.code == 0, md.err
    assert_golden("changelog/acme-v1.1.0-v2.0.0.md", md.out)
    txt = cli("changelog", *args, "--format", "text")
    assert txt.code == 0, txt.err
    assert_golden("changelog/acme-v1.1.0-v2.0.0.txt", txt.out)
    js = cli("changelog", *args, "--format", "json")
    assert js.code == 0, js.err
    assert_golden("changelog/acme-v1.1.0-v2.0.0.json", js.out)
    data = json.loads(js.out)
    assert data["schema"] == "specver.changelog/1"
    assert (data["version"], data["date"], data["bump"]) == ("2.0.0", "2026-04-01", "major")
    names = [g["name"] for g in data["groups"]]
    assert names == ["Added", "Changed", "Removed"]
    first = data["groups"][0]["entries"][0]
    assert first["kind"] == "policy_added" and first["policies"] == ["respect_autonomy"]
    assert first["text"] == "Adds Respect user autonomy (respect_autonomy, user)."


def test_write_keeps_every_other_byte_and_replaces_its_own_entry(tmp_path: Path):
    path = tmp_path / "CHANGELOG.md"
    original = (ACME / "CHANGELOG.md").read_bytes()
    path.write_bytes(original)
    entry = acme_entry("v1.1.0", "v2.0.0", "2.0.0")
    done = write_entry(path, entry)
    assert not done.created and not done.replaced
    after = path.read_text(encoding="utf-8")
    block = entry_markdown(entry, detect_style(original.decode()), marker=True)
    assert after.replace(block + "\n", "", 1).encode() == original
    # below the title and the Unreleased section, above the older releases
    assert after.index("## [Unreleased]") < after.index("## [2.0.0]") < after.index("## [1.1.0]")
    again = write_entry(path, acme_entry("v1.1.0", "v2.0.0", "2.0.0", day="2026-04-02"))
    assert again.replaced
    text = path.read_text(encoding="utf-8")
    assert text.count("## [2.0.0]") == 1 and "## [2.0.0] - 2026-04-02" in text
    assert (
        text.replace(
            entry_markdown(
                acme_entry("v1.1.0", "v2.0.0", "2.0.0", day="2026-04-02"),
                detect_style(original.decode()),
                marker=True,
            )
            + "\n",
            "",
            1,
        ).encode()
        == original
    )


def test_write_keeps_crlf_line_endings(tmp_path: Path):
    path = tmp_path / "CHANGELOG.md"
    original = (ACME / "CHANGELOG.md").read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    entry = acme_entry("v1.1.0", "v2.0.0", "2.0.0")
    write_entry(path, entry)
    data = path.read_bytes()
    # every line ends in CRLF: no bare LF, no bare CR
    assert data.endswith(b"\r\n")
    assert data.replace(b"\r\n", b"").count(b"\n") == 0
    assert data.replace(b"\r\n", b"").count(b"\r") == 0
    # the entry, in CRLF, followed by the blank line that separates it; nothing else changed
    style = detect_style(original.decode())
    block = (entry_markdown(entry, style, marker=True) + "\n").replace("\n", "\r\n").encode()
    start = data.index(b"## [2.0.0]")
    assert data[start : start + len(block)] == block
    assert data[:start] + data[start + len(block) :] == original


def test_write_creates_a_missing_changelog(tmp_path: Path):
    path = tmp_path / "CHANGELOG.md"
    done = write_entry(path, acme_entry("v1.1.0", "v2.0.0", "2.0.0"))
    assert done.created
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n\n## [2.0.0] - 2026-04-01\n" + MARKER + "\n")


def test_write_never_replaces_an_entry_written_by_hand(tmp_path: Path):
    path = tmp_path / "CHANGELOG.md"
    path.write_bytes((ACME / "CHANGELOG.md").read_bytes())
    before = path.read_bytes()
    with pytest.raises(InputError, match="did not write"):
        write_entry(path, acme_entry("v1.0.0", "v1.1.0", "1.1.0"))
    assert path.read_bytes() == before


def test_headings_inside_code_fences_are_not_entries():
    text = "# Changelog\n\n```\n## [9.9.9] - 2020-01-01\n```\n\n## v1.0.0\n\n* first\n"
    style = detect_style(text)
    assert (style.template, style.version_prefix, style.bullet) == ("## {version}", "v", "*")
    entry = acme_entry("v1.1.0", "v2.0.0", "2.0.0")
    out = insert_entry(text, entry)
    assert out.index("## v2.0.0") > out.index("```\n## [9.9.9]")
    assert out.endswith("\n## v1.0.0\n\n* first\n")
    assert "* Adds **Protect minors**" in out


def test_cli_write_and_exit_statuses(cli, tmp_path: Path):
    old, new = ACME / "v1.1.0" / "acme_spec.md", ACME / "v2.0.0" / "acme_spec.md"
    target = tmp_path / "CHANGELOG.md"
    done = cli("changelog", old, new, "--version", "2.0.0", "--write", target)
    assert done.code == 0 and done.out == ""
    assert "created" in done.err and target.is_file()
    same = cli("changelog", old, old, "--version", "2.0.0")
    assert same.code == 1 and same.err.startswith("specver: no changes: ")
    assert "error" not in same.err
    bad = cli("changelog", old, new, "--version", "2.0.0", "--date", "2026-13-01")
    assert bad.code == 2 and bad.err.count("\n") == 1
    both = cli("changelog", old, new, "--version", "2", "--format", "json", "--write", target)
    assert both.code == 2
    missing = cli("changelog", old, new)
    assert missing.code == 2 and "--version" in missing.err


def test_bare_version_headings_keep_the_date_in_a_line_below():
    text = "# Changelog\n\n## v1.0.0\n\n* first\n"
    out = insert_entry(text, acme_entry("v1.1.0", "v2.0.0", "2.0.0", day="2026-04-01"))
    assert out.startswith("# Changelog\n\n## v2.0.0\n" + MARKER + "\n\nReleased 2026-04-01.\n\n")
    assert out.endswith("\n## v1.0.0\n\n* first\n")
    # a calendar version already spells its date; another date is still written
    same_day = insert_entry(text, acme_entry("v1.1.0", "v2.0.0", "v2026.04.01", day="2026-04-01"))
    assert "## v2026.04.01\n" in same_day and "Released" not in same_day
    later = insert_entry(text, acme_entry("v1.1.0", "v2.0.0", "v2026.04.01", day="2026-04-02"))
    assert "Released 2026-04-02." in later
    # headings with a date slot are unchanged
    dated = entry_markdown(acme_entry("v1.1.0", "v2.0.0", "2.0.0"))
    assert dated.startswith("## [2.0.0] - 2026-04-01\n\n### ") and "Released" not in dated
