"""Hostile and broken input for bump, changelog, release, impact, history, log, fork and merge.

Each case ends in one line on stderr and exit 2, with no traceback and nothing written; a
write that fails half way leaves the old file and no temporary file; no command writes
anything but the paths it was given; Markdown reports keep spec text inert.
"""

from __future__ import annotations

from pathlib import Path

import pyromark
import pytest
from hypothesis import given

from specver import atomic
from specver.api import diff
from specver.errors import InputError
from specver.fork.compare import compare_fork
from specver.release.changelog import build_entry, entry_markdown
from specver.render import FORK_RENDERERS, IMPACT_RENDERERS, RenderOptions, render
from specver.report.impact import assess_impact
from specver.spec.parse import parse

from .conftest import ACME, CASES
from .gitutil import git
from .test_hostile import assert_inert_markdown, hostile_text, one_line_error

V1 = ACME / "v1.0.0" / "acme_spec.md"
V2 = ACME / "v1.1.0" / "acme_spec.md"
V3 = ACME / "v2.0.0" / "acme_spec.md"
FORK = ACME / "fork" / "acme_spec.md"
HOSTILE_OLD = CASES / "hostile" / "old.md"
HOSTILE_NEW = CASES / "hostile" / "new.md"
DAY = ("--date", "2026-06-01")


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under a folder, with file contents (None for folders)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def odd_files(tmp_path: Path) -> dict[str, Path]:
    """A missing path, a binary file, a non-UTF-8 file and a folder."""
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    latin = tmp_path / "latin1.md"
    latin.write_bytes("# Caf\u00e9 {#c}\n".encode("latin-1"))
    folder = tmp_path / "folder"
    folder.mkdir()
    return {"missing": tmp_path / "nope.md", "binary": binary, "latin1": latin, "dir": folder}


NEEDLES = {
    "missing": "no such file",
    "binary": "binary",
    "latin1": "not valid UTF-8",
    "dir": "directory",
}


@pytest.fixture
def spec_repo(tmp_path: Path) -> Path:
    """model_spec.md at v1.0.0 (tagged) then v1.1.0, in a repository with one branch."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "model_spec.md").write_bytes(V1.read_bytes())
    git(repo, "add", "model_spec.md")
    git(repo, "commit", "-q", "-m", "one")
    git(repo, "tag", "v1.0.0")
    (repo / "model_spec.md").write_bytes(V2.read_bytes())
    git(repo, "commit", "-q", "-am", "two")
    return repo


# --- bump ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(NEEDLES))
def test_bump_with_an_unreadable_spec(cli, odd_files, kind: str) -> None:
    one_line_error(cli("bump", odd_files[kind], V2, "--current", "1.0.0"), NEEDLES[kind])
    one_line_error(cli("bump", V1, odd_files[kind], "--current", "1.0.0"), NEEDLES[kind])


@pytest.mark.parametrize("current", ["banana", "1.2", "1.0.0.0.0", "v2025.02.30", "--x", " "])
def test_bump_with_a_bad_current_version(cli, current: str) -> None:
    r = cli("bump", V1, V2, f"--current={current}")
    one_line_error(r)
    assert "--current" in r.err


# --- changelog --write ---------------------------------------------------------------------


def changelog_write(cli, target: Path, *extra: str):
    return cli("changelog", V1, V2, "--version", "1.1.0", *DAY, "--write", target, *extra)


def test_changelog_write_into_a_directory(cli, tmp_path: Path) -> None:
    before = tree(tmp_path)
    one_line_error(changelog_write(cli, tmp_path), "directory")
    assert tree(tmp_path) == before


def test_changelog_write_into_a_binary_file(cli, tmp_path: Path) -> None:
    log = tmp_path / "CHANGELOG.md"
    log.write_bytes(b"# Changelog\n\n\x00\x01\x02 not text\n")
    before = tree(tmp_path)
    one_line_error(changelog_write(cli, log), "binary")
    assert tree(tmp_path) == before


def test_changelog_write_into_a_non_utf8_changelog(cli, tmp_path: Path) -> None:
    log = tmp_path / "CHANGELOG.md"
    log.write_bytes("# Changelog\n\n## 1.0.0\n\n- Caf\u00e9.\n".encode("latin-1"))
    before = tree(tmp_path)
    one_line_error(changelog_write(cli, log), "not valid UTF-8")
    assert tree(tmp_path) == before


def test_changelog_write_into_a_read_only_location(cli, tmp_path: Path, monkeypatch) -> None:
    """Tests run as root, where permissions do not bite: the refusal is simulated."""

    def refuse(*args: object, **kwargs: object):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    log = tmp_path / "CHANGELOG.md"
    log.write_bytes(b"# Changelog\n\n## [1.0.0] - 2025-01-01\n\n- First.\n")
    before = tree(tmp_path)
    one_line_error(changelog_write(cli, log), "Permission denied")
    one_line_error(changelog_write(cli, tmp_path / "NEW.md"), "Permission denied")
    assert tree(tmp_path) == before


@pytest.mark.parametrize("version", ["", "   ", "1.1.0\n## [9.9.9] - 2020-01-01", "1.1\x1b[2J"])
def test_changelog_version_must_be_one_printable_line(cli, tmp_path: Path, version: str) -> None:
    """A blank --version wrote `## []`; one holding a line break forged a release heading."""
    log = tmp_path / "CHANGELOG.md"
    r = cli("changelog", V1, V2, "--version", version, *DAY, "--write", log)
    one_line_error(r, "--version")
    assert not log.exists()
    one_line_error(cli("changelog", V1, V2, "--version", version, *DAY))


def test_changelog_write_option_into_a_missing_folder(cli, tmp_path: Path) -> None:
    one_line_error(changelog_write(cli, tmp_path / "no" / "CHANGELOG.md"), "does not exist")
    assert not (tmp_path / "no").exists()


# --- release -------------------------------------------------------------------------------


def test_release_outside_a_repository(cli, tmp_path: Path) -> None:
    one_line_error(cli("release", "--repo", tmp_path, "--dry-run"), "not a git repository")


def test_release_in_a_bare_repository(cli, spec_repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(spec_repo), str(bare))
    before = tree(bare)
    one_line_error(cli("release", "--repo", bare, "--yes"), "bare repository")
    assert tree(bare) == before


def test_release_in_a_shallow_clone_without_its_tags(cli, spec_repo: Path, tmp_path: Path):
    """A shallow clone hides the last release's tag: releasing read it as a first release."""
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{spec_repo}", str(shallow))
    before = tree(shallow)
    one_line_error(cli("release", "--repo", shallow, "--dry-run"), "shallow clone")
    one_line_error(cli("release", "--repo", shallow, "--yes"), "shallow clone")
    assert tree(shallow) == before


def test_release_in_a_shallow_clone_that_holds_the_tag(cli, spec_repo: Path, tmp_path: Path):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{spec_repo}", str(shallow))
    git(shallow, "fetch", "-q", "--depth", "2", "origin", "tag", "v1.0.0")
    done = cli("release", "--repo", shallow, "--dry-run", *DAY)
    assert done.code == 0, done.err
    assert done.out.startswith("Release v1.1.0 (semver, minor; since v1.0.0)")


@pytest.mark.parametrize("path", ["--output=x", "-x", "--upload-pack=touch pwned"])
def test_release_with_an_option_like_path(cli, spec_repo: Path, path: str) -> None:
    before = tree(spec_repo)
    one_line_error(cli("release", "--repo", spec_repo, f"--path={path}", "--dry-run"), path)
    assert tree(spec_repo) == before


# --- impact --------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["bogus", "", "ALL", "--format"])
def test_impact_with_a_bad_audience(cli, audience: str) -> None:
    one_line_error(cli("impact", V1, V2, f"--audience={audience}"), "--audience")


# --- history and log -----------------------------------------------------------------------


def test_history_of_an_unknown_policy(cli, spec_repo: Path) -> None:
    one_line_error(cli("history", "no_such_policy", "--repo", spec_repo), "no policy")
    one_line_error(cli("history", "--repo", spec_repo, "--", "--output=x"), "no policy")


@pytest.mark.parametrize("command", ["history", "log"])
def test_history_of_a_path_missing_from_history(cli, spec_repo: Path, command: str) -> None:
    args = ("cite_sources",) if command == "history" else ()
    r = cli(command, *args, "--repo", spec_repo, "--path", "missing.md")
    one_line_error(r, "missing.md")


@pytest.mark.parametrize("command", ["history", "log"])
def test_history_outside_a_repository(cli, tmp_path: Path, command: str) -> None:
    args = ("cite_sources",) if command == "history" else ()
    one_line_error(cli(command, *args, "--repo", tmp_path), "not a git repository")
    one_line_error(cli(command, *args, "--repo", tmp_path / "nope"), "")


# --- fork and merge ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["fork", "merge"])
@pytest.mark.parametrize("side", ["--upstream", "--fork", "--base"])
def test_fork_and_merge_with_a_missing_source(cli, tmp_path: Path, command, side) -> None:
    sources = {"--upstream": str(V3), "--fork": str(FORK), "--base": str(V1)}
    sources[side] = str(tmp_path / "nope.md")
    args = [a for pair in sources.items() for a in pair]
    one_line_error(cli(command, *args), "no such file")


@pytest.mark.parametrize("command", ["fork", "merge"])
def test_fork_and_merge_need_base_for_plain_files(cli, command: str) -> None:
    one_line_error(cli(command, "--upstream", V3, "--fork", FORK), "--base")


@pytest.mark.parametrize("command", ["fork", "merge"])
@pytest.mark.parametrize("side", ["--upstream", "--fork", "--base"])
def test_fork_and_merge_with_sources_spelled_like_options(cli, spec_repo, command, side) -> None:
    sources = {"--upstream": "HEAD:model_spec.md", "--fork": "v1.0.0:model_spec.md"}
    sources["--base"] = "v1.0.0:model_spec.md"
    sources[side] = "--output=pwned:model_spec.md"
    args = [f"{k}={v}" for k, v in sources.items()]
    before = tree(spec_repo)
    one_line_error(cli(command, *args, "--repo", spec_repo), "not a revision")
    assert tree(spec_repo) == before


def test_merge_output_into_a_missing_folder(cli, tmp_path: Path) -> None:
    target = tmp_path / "no" / "merged.md"
    r = cli("merge", "--upstream", V3, "--fork", FORK, "--base", V1, "--output", target)
    one_line_error(r, "does not exist")
    assert not (tmp_path / "no").exists()


# --- failed writes -------------------------------------------------------------------------


def _fail_replace(monkeypatch) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "replace", fail)


def test_a_failed_merge_write_keeps_the_old_file(cli, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "merged.md"
    target.write_bytes(b"the old merge\n")
    _fail_replace(monkeypatch)
    r = cli("merge", "--upstream", V3, "--fork", FORK, "--base", V1, "--output", target)
    assert r.code == 2 and "Traceback" not in r.err
    errors = [line for line in r.err.splitlines() if line.startswith("specver: error:")]
    assert len(errors) == 1 and "Input/output error" in errors[0]
    assert [p.name for p in tmp_path.iterdir()] == ["merged.md"]
    assert target.read_bytes() == b"the old merge\n"


def test_a_failed_changelog_write_of_a_new_file_leaves_nothing(cli, tmp_path, monkeypatch):
    _fail_replace(monkeypatch)
    one_line_error(changelog_write(cli, tmp_path / "CHANGELOG.md"), "Input/output error")
    assert list(tmp_path.iterdir()) == []


# --- nothing written but the paths named ---------------------------------------------------


def test_every_command_writes_only_the_paths_named(cli, spec_repo, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    log = tmp_path / "named" / "CHANGELOG.md"
    log.parent.mkdir()
    repo = ("--repo", spec_repo)
    three = ("--upstream", V3, "--fork", FORK, "--base", V1)
    runs: list[tuple[tuple[object, ...], set[str]]] = [
        (("bump", V1, V2, "--current", "1.0.0"), set()),
        (("changelog", V1, V2, "--version", "1.1.0", *DAY), set()),
        (("changelog", V1, V2, "--version", "1.1.0", *DAY, "--write", log), set()),
        (("changelog", V1, V2, "--version", "1.1.0", *DAY, "--write", "CL.md"), {"CL.md"}),
        (("release", *repo, "--dry-run"), set()),
        (("release", "--dry-run"), set()),
        (("impact", V1, V2), set()),
        (("impact", V1, V2, "-f", "html", "--output", "report.html"), {"report.html"}),
        (("history", "cite_sources", *repo), set()),
        (("log", *repo), set()),
        (("log", *repo, "--no-cache", "--format", "json"), set()),
        (("fork", *three), set()),
        (("fork", *three, "-f", "markdown", "-o", "fork.md"), {"fork.md"}),
        (("merge", *three), set()),
        (("merge", *three, "--output", "merged.md"), {"merged.md", ".specver.yaml"}),
        (("merge", *three, "--output", "m2.md", "--no-record"), {"m2.md"}),
        (("fork", "--upstream", "HEAD:model_spec.md", "--fork", "v1.0.0:model_spec.md", *repo),
         set()),
    ]  # fmt: skip
    for args, named in runs:
        before = tree(work)
        r = cli(*args)
        assert "Traceback" not in r.err, (args, r.err)
        assert r.code in (0, 1, 2), (args, r.err)
        after = tree(work)
        touched = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert touched == named, (args, touched)
    assert log.is_file()
    assert not (tmp_path / "home").exists()


# --- reports -------------------------------------------------------------------------------


def test_hostile_case_impact_markdown_is_inert(cli) -> None:
    r = cli("impact", HOSTILE_OLD, HOSTILE_NEW, "-f", "markdown")
    assert r.code == 1, r.err
    assert_inert_markdown(r.out)
    assert "&lt;script&gt;" in r.out or "\\<script" in r.out


@pytest.mark.parametrize(("upstream", "fork"), [(HOSTILE_NEW, HOSTILE_OLD), (V3, HOSTILE_NEW)])
def test_hostile_case_fork_markdown_is_inert(cli, upstream: Path, fork: Path) -> None:
    r = cli("fork", "--base", HOSTILE_OLD, "--upstream", upstream, "--fork", fork, "-f", "markdown")
    assert r.code in (0, 1), r.err
    assert_inert_markdown(r.out)


def test_hostile_case_changelog_entry_is_inert(cli, tmp_path: Path) -> None:
    r = cli("changelog", HOSTILE_OLD, HOSTILE_NEW, "--version", "1.0.0", *DAY)
    assert r.code == 0, r.err
    assert_inert_markdown(r.out)
    log = tmp_path / "CHANGELOG.md"
    cli("changelog", HOSTILE_OLD, HOSTILE_NEW, "--version", "1.0.0", *DAY, "--write", log)
    assert_inert_markdown(log.read_text(encoding="utf-8"))


OLD = (
    "# Group {#g}\n\n## Old title {#p authority=user}\n\nThe assistant should help.[^e1e1]\n\n"
    "**Example**: plain\n\n~~~xml\n<user>\nhi\n</user>\n<assistant> <!-- GOOD -->\nok\n"
    "</assistant>\n~~~\n\n## Gone {#gone authority=root}\n\nThe assistant must stay.\n"
)


def hostile_new(title: str, prose: str, example: str) -> str:
    """OLD with spec text from the generator in a title, the prose and an example."""
    return (
        f"# Group {{#g}}\n\n## {title} {{#p authority=root}}\n\nThe assistant must help. {prose}"
        f"[^e1e1]\n\n**Example**: {example}\n\n~~~xml\n<user>\nhi\n</user>\n<assistant> <!-- "
        f"BAD: {prose} -->\nok\n</assistant>\n~~~\n\n## {title} 2 {{#q authority=user}}\n\n"
        f"The assistant may {prose}\n"
    )


@given(hostile_text, hostile_text, hostile_text)
def test_generated_hostile_text_stays_inert_in_impact_fork_and_changelog(
    title: str, prose: str, example: str
) -> None:
    title = " ".join(title.replace("{", "(").replace("}", ")").split()) or "x"
    try:
        old, new = parse(OLD, source="old.md"), parse(hostile_new(title, prose, example))
    except InputError:
        return
    result = diff(old, new)
    options = RenderOptions()
    assert_inert_markdown(
        render(IMPACT_RENDERERS, "markdown", assess_impact(result, None, "all"), options)
    )
    for upstream, fork in ((new, old), (old, new)):
        report = compare_fork(old, upstream, fork)
        assert_inert_markdown(render(FORK_RENDERERS, "markdown", report, options))
    assert_inert_markdown(entry_markdown(build_entry(result, "1.0.0", "2026-06-01")))


def test_a_title_with_markdown_link_syntax_is_shown_not_linked(cli, tmp_path: Path) -> None:
    new = tmp_path / "new.md"
    new.write_text(
        OLD.replace(
            "Old title", "Quote ](http://evil.example) and [x](javascript:alert(1))"
        ).replace("#p authority=user", "#p authority=root"),
        encoding="utf-8",
    )
    old = tmp_path / "old.md"
    old.write_text(OLD, encoding="utf-8")
    for args, shows_title in (
        (("impact", old, new, "-f", "markdown"), True),
        (("changelog", old, new, "--version", "1.0.0", *DAY), True),
        (("fork", "--base", old, "--upstream", new, "--fork", old, "-f", "markdown"), False),
        (("fork", "--base", old, "--upstream", old, "--fork", new, "-f", "markdown"), False),
    ):
        r = cli(*args)
        assert r.code in (0, 1), r.err
        assert_inert_markdown(r.out)
        if shows_title:  # readable: the reader sees the characters as written
            shown = pyromark.html(r.out)
            assert "Quote ](http://evil.example) and [x](javascript:alert(1))" in shown, args[0]
