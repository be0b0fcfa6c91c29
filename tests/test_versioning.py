"""Next versions: semver levels, calver dates with same-day serials, invalid input, YAML record."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from specver.diff.textdiff import one_line
from specver.errors import InputError, UsageError
from specver.release.versioning import (
    check_version,
    find_version,
    next_calver,
    next_semver,
    next_version,
    parse_date,
    record_version,
    require_scheme,
    same_version,
    scheme_of,
)


@pytest.mark.parametrize(
    ("current", "level", "expected"),
    [
        ("1.2.3", "major", "2.0.0"),
        ("v1.2.3", "minor", "v1.3.0"),
        ("v1.2.3", "patch", "v1.2.4"),
        ("2.0.0-rc.1", "major", "2.0.0"),
    ],
)
def test_semver_levels_keep_the_prefix(current, level, expected):
    assert next_semver(current, level) == expected


def test_calver_is_the_release_date_with_a_serial_for_the_same_day():
    assert next_calver("v2025.04.11", date(2025, 9, 12)) == "v2025.09.12"
    assert next_calver("v2025.09.12", date(2025, 9, 12)) == "v2025.09.12.1"
    assert next_calver("v2025.09.12.1", date(2025, 9, 12)) == "v2025.09.12.2"
    assert next_calver("2025.09.12", date(2025, 10, 1)) == "2025.10.01"
    assert next_version(None, "minor", "calver", date(2026, 1, 2)) == "v2026.01.02"
    assert next_version(None, "major", "semver") == "v0.1.0"


def test_calver_refuses_a_date_before_the_current_release():
    with pytest.raises(UsageError, match="before the current release"):
        next_calver("v2025.09.12", date(2025, 9, 11))


NEITHER = "neither a calendar version (vYYYY.MM.DD[.N]) nor a semantic version"


@pytest.mark.parametrize("bad", ["1.4", "latest", "-rf", "v1.2.x", "", "v2025.13.01"])
def test_a_version_of_neither_scheme_says_so(bad):
    for scheme in ("semver", "calver"):
        with pytest.raises(InputError, match=re.escape(NEITHER)):
            check_version(bad, scheme)
    with pytest.raises(InputError, match=re.escape(NEITHER)):
        next_semver(bad, "minor")


def test_a_version_of_the_other_scheme_names_both():
    with pytest.raises(InputError, match="a calendar version, not a semantic version"):
        check_version("v2025.09.12", "semver")
    with pytest.raises(InputError, match="a semantic version, not a calendar version"):
        check_version("v1.2.0", "calver")


def test_scheme_of_tells_calver_from_semver():
    assert scheme_of("v2025.09.12") == "calver"
    assert scheme_of("v2025.09.12.3") == "calver"
    assert scheme_of("v1.2.0") == "semver"
    assert scheme_of("release-1") is None


def test_parse_date_refuses_malformed_dates():
    assert parse_date("2025-09-12") == date(2025, 9, 12)
    for bad in ("2025-9-12", "2025-02-30", "tomorrow"):
        with pytest.raises(UsageError):
            parse_date(bad)


def test_record_version_keeps_comments_and_key_order(tmp_path: Path):
    path = tmp_path / ".specver.yaml"
    path.write_text(
        "# settings for specver\n"
        "spec: model_spec.md   # where the spec lives\n"
        "version: v1.0.0  # last release\n"
        "bump:\n"
        "  # retitles matter to us\n"
        "  policy_retitled: minor\n",
        encoding="utf-8",
    )
    text = record_version(path, "v1.1.0")
    assert text == (
        "# settings for specver\n"
        "spec: model_spec.md   # where the spec lives\n"
        "version: v1.1.0  # last release\n"
        "bump:\n"
        "  # retitles matter to us\n"
        "  policy_retitled: minor\n"
    )


def test_record_version_appends_a_missing_key_last(tmp_path: Path):
    path = tmp_path / ".specver.yaml"
    path.write_text("# mine\nbump:\n  tags_changed: minor  # keep\n", encoding="utf-8")
    text = record_version(path, "v2025.09.12")
    assert text.startswith("# mine\nbump:\n  tags_changed: minor  # keep\n")
    assert text.rstrip().endswith("version: v2025.09.12")


def test_bump_levels_follow_specver_yaml_overrides(cli, tmp_path: Path):
    acme = Path(__file__).resolve().parents[1] / "fixtures" / "acme"
    old, new = acme / "v1.0.0" / "acme_spec.md", acme / "v1.1.0" / "acme_spec.md"
    plain = cli("bump", old, new, "--current", "1.0.0")
    assert (plain.code, plain.out) == (0, "1.1.0\n")
    config = tmp_path / ".specver.yaml"
    config.write_text("bump:\n  policy_added: major\n", encoding="utf-8")
    moved = cli("bump", old, new, "--current", "1.0.0", "--config", config)
    assert (moved.code, moved.out) == (0, "2.0.0\n")
    assert "respect_language: added at user level" in moved.err


def test_bump_exit_statuses(cli):
    acme = Path(__file__).resolve().parents[1] / "fixtures" / "acme"
    old = acme / "v1.0.0" / "acme_spec.md"
    same = cli("bump", old, old, "--current", "1.0.0")
    assert same.code == 1 and same.out == ""
    # exit 1 is a finding, not an error: the line says so
    assert same.err.startswith("specver: no changes: ") and "error" not in same.err
    assert same.err.count("\n") == 1
    bad = cli("bump", old, acme / "v1.1.0" / "acme_spec.md", "--current", "one")
    assert bad.code == 2 and bad.err.count("\n") == 1 and NEITHER in bad.err
    month = cli("bump", old, acme / "v1.1.0" / "acme_spec.md", "--current", "v2025.13.01")
    assert month.code == 2 and NEITHER in month.err


def test_unknown_schemes_are_refused_in_one_wording():
    messages = set()
    for call in (
        lambda: require_scheme("zodiac"),
        lambda: check_version("v1.0.0", "zodiac"),
        lambda: next_version(None, "minor", "zodiac"),
        lambda: next_version("v1.0.0", "minor", "zodiac"),
    ):
        with pytest.raises(UsageError) as caught:
            call()
        messages.add(str(caught.value))
    assert messages == {"unknown version scheme 'zodiac' (choose from semver, calver)"}


def test_versions_in_changelog_headings_and_their_equality():
    assert find_version("## [1.1.0] - 2026-03-02") == "1.1.0"
    assert find_version("## v2025.04.11") == "v2025.04.11"
    assert find_version("## [1.0] - 2020-01-01") == "1.0"
    assert find_version("## Unreleased") is None
    assert same_version("v1.1.0", "1.1.0")
    assert same_version("2025.09.12", "v2025.09.12.0")
    assert not same_version("1.1.0", "1.1.1")
    assert not same_version("v2025.09.12", "v2025.09.12.1")
    assert not same_version("1.1.0+build.2", "1.1.0")


def test_one_line_collapses_whitespace():
    assert one_line("  git:\n\terror:  hook\r\nfailed ") == "git: error: hook failed"
