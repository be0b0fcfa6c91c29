"""Hostile and broken input: odd files, pathological text, odd repositories, failed writes, and
spec text that tries to run in a reader's browser. Every case ends in output or in one line on
stderr with exit 2, never a traceback, a hang, a half-written file or a live link.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyromark
import pytest
from hypothesis import given
from hypothesis import strategies as st

from specver import atomic
from specver.api import diff
from specver.errors import InputError
from specver.render import DIFF_RENDERERS, RenderOptions, render
from specver.spec.parse import parse
from specver.spec.sources.file import read_file
from tests.conftest import ACME, CASES, run_process

V1 = ACME / "v1.0.0" / "acme_spec.md"
V2 = ACME / "v1.1.0" / "acme_spec.md"
HANG_GUARD = 600
"""Seconds after which a pathological input counts as a hang: a guard against a hang, far
above any run on a loaded machine, never a speed test (speed is measured by `make bench`)."""
SRC = Path(__file__).resolve().parents[1] / "src"


def one_line_error(r, needle: str = "") -> None:
    """Exit 2, nothing on stdout, exactly one line on stderr, no traceback."""
    assert r.code == 2, r
    assert r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("specver: error: "), r.err
    assert "Traceback" not in r.err
    assert needle in r.err, r.err


# --- files -------------------------------------------------------------------------------


def test_missing_file(cli, tmp_path: Path) -> None:
    one_line_error(cli("show", tmp_path / "nope.md"), "no such file")


def test_unreadable_file_by_permissions(cli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not apply (see the PermissionError test)")
    path = tmp_path / "locked.md"
    path.write_text("# T {#t}\n")
    path.chmod(0)
    try:
        one_line_error(cli("show", path), "permission denied")
    finally:
        path.chmod(0o644)


def test_unreadable_file_whose_read_raises_permission_error(cli, tmp_path, monkeypatch) -> None:
    path = tmp_path / "locked.md"
    path.write_text("# T {#t}\n")
    real = atomic.os.open

    def refuse(name: object, *args: object, **kwargs: object) -> int:
        if Path(str(name)) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "open", refuse)
    one_line_error(cli("show", path), "permission denied")
    one_line_error(cli("diff", V1, path), "permission denied")


def test_directory(cli, tmp_path: Path) -> None:
    one_line_error(cli("check", tmp_path), "is a directory")


@pytest.mark.parametrize(
    "data", [b"\x7fELF\x02\x01\x01\x00\x00\x00", bytes(range(256)), b"# T\n\x00\x00"]
)
def test_binary_file(cli, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(data)
    r = cli("show", path)
    one_line_error(r)
    assert "binary" in r.err or "UTF-8" in r.err


def test_non_utf8_names_the_byte_offset(cli, tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("# Overview {#o}\n\nCafé au lait.\n".encode("latin-1"))
    one_line_error(cli("show", path), "byte 0xe9 at offset 20")


def test_bom_and_crlf_are_accepted_and_crlf_alone_is_no_change(cli, tmp_path: Path) -> None:
    text = V1.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    bom = tmp_path / "bom.md"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    old_mac = tmp_path / "cr.md"
    old_mac.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    for path in (crlf, bom, old_mac):
        r = cli("diff", V1, path)
        assert r.code == 0, r.out
        assert "No semantic changes" in r.out
    assert [p.id for p in parse(crlf.read_text(encoding="utf-8"))] == [p.id for p in parse(text)]


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\n" * 1000])
def test_empty_file(cli, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(data)
    one_line_error(cli("show", path), "empty")


def test_100_mb_file_is_refused_before_it_is_read(cli, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:  # sparse: no disk or memory used
        handle.truncate(100 * 1024 * 1024)

    real = atomic.os.open

    def never(name: object, *args: object, **kwargs: object) -> int:
        if Path(str(name)) == path:
            raise OSError(5, "a file over the size limit must not be opened")
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "open", never)
    one_line_error(cli("diff", path, V1), "100 MiB is larger than the 64 MiB limit")


# --- pathological text -------------------------------------------------------------------


def _run_bounded(tmp_path: Path, name: str, text: str, *args: str) -> subprocess.CompletedProcess:
    """Run `specver show` on the text in a separate process, killed if it outlives the guard."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "specver", *(args or ("show", "--format", "json")), str(path)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )


PATHOLOGICAL = {
    "one 1 MB line": "# T {#t authority=user}\n\n" + "word " * 210_000 + "\n",
    "1 MB of one repeated character": "# T {#t}\n\n" + "." * 1_100_000 + "\n",
    "100,000 nested list markers on one line": "# T {#t}\n\n" + "- " * 100_000 + "x\n",
    "100,000 list items nesting in and out": "# T {#t}\n\n"
    + "".join("  " * (k % 40) + "- item\n" for k in range(100_000)),
    "100,000 block quotes": "# T {#t}\n\n" + ">" * 100_000 + " x\n",
    "1 MB heading attribute block": "# T {#t " + "k=v " * 260_000 + "}\n\ntext\n",
    "1 MB quoted attribute value": '# T {#t note="' + "x" * 1_000_000 + '"}\n',
    "1 MB unterminated quote": '# T {#t note="' + "x" * 1_000_000 + "}\n",
    "1 MB attribute block never closed": "# T {#t " + "x" * 1_000_000 + "\n",
    "10,000 headings": "".join(
        f"## H{k} {{#h{k} authority=user}}\n\nText {k}.\n\n" for k in range(10_000)
    ),
    "headings at depth 6 and deeper": "".join(
        f"{'#' * (k % 9 + 1)} H{k}\n\n" for k in range(5_000)
    ),
    "one example tag 1 MB long": "# T {#t}\n\n~~~xml\n<user "
    + "a=b " * 250_000
    + ">\nx\n</user>\n~~~\n",
    "1 MB of open tags": "# T {#t}\n\n~~~xml\n" + "<user>\n" * 140_000 + "~~~\n",
    "10,000 unclosed verdict comments": "# T {#t}\n\n~~~xml\n"
    + "<assistant> <!-- BAD[#" * 10_000
    + "\n~~~\n",
    "sentences of closing brackets": "# T {#t}\n\n" + ".)" * 300_000 + " x\n\nmust " * 2 + "\n",
    "blank lines of spaces and tabs": "# T {#t}\n\n" + "\n \t" * 300_000 + "x\n",
    "100 fences left open, each hiding a heading": "".join(
        f"{'`' * (200 - k)}\n## H{k} {{#h{k}}}\n\n{'padding text ' * 500}\n" for k in range(150)
    ),
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_text_finishes(tmp_path: Path, name: str) -> None:
    r = _run_bounded(tmp_path, "p.md", PATHOLOGICAL[name])
    assert "Traceback" not in r.stderr
    assert r.returncode in (0, 2), r.stderr[-500:]
    if r.returncode == 2:
        assert r.stderr.count("\n") == 1


def test_pathological_text_diffs_against_itself_and_a_spec(tmp_path: Path) -> None:
    text = PATHOLOGICAL["100,000 list items nesting in and out"]
    (tmp_path / "other.md").write_text(text.replace("item", "entry", 500), encoding="utf-8")
    r = _run_bounded(tmp_path, "p.md", text, "diff", str(tmp_path / "other.md"))
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr


# The regex audit lives in tests/test_regex_audit.py (traps built from each pattern).


# --- git ---------------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    """Run git quietly in a folder with a fixed identity."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def spec_repo(tmp_path: Path) -> Path:
    """A repository with two commits of spec.md (v1.0.0 then v1.1.0 of the Acme spec)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "spec.md").write_bytes(V1.read_bytes())
    git(repo, "add", "spec.md")
    git(repo, "commit", "-q", "-m", "one")
    (repo / "spec.md").write_bytes(V2.read_bytes())
    git(repo, "commit", "-q", "-am", "two")
    return repo


def test_git_not_a_repository(cli, tmp_path: Path) -> None:
    one_line_error(cli("diff", "HEAD~1:spec.md", "HEAD:spec.md", "--repo", tmp_path), "not a git")


def test_git_unknown_revision(cli, spec_repo: Path) -> None:
    one_line_error(cli("show", "nosuchrev:spec.md", "--repo", spec_repo), "unknown revision")


def test_git_path_missing_at_revision(cli, spec_repo: Path) -> None:
    one_line_error(cli("show", "HEAD~1:other.md", "--repo", spec_repo), "no file other.md")


def test_git_revisions_diff_like_files(cli, spec_repo: Path) -> None:
    r = cli("diff", "HEAD~1:spec.md", "HEAD:spec.md", "--repo", spec_repo, "--format", "json")
    assert r.code == 1 and '"bump": "minor"' in r.out


def test_git_shallow_clone(cli, spec_repo: Path, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{spec_repo}", str(shallow))
    assert cli("show", "HEAD:spec.md", "--repo", shallow).code == 0
    one_line_error(cli("diff", "HEAD~1:spec.md", "HEAD:spec.md", "--repo", shallow), "HEAD~1")


def test_git_bare_repository(cli, spec_repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(spec_repo), str(bare))
    r = cli("diff", "HEAD~1:spec.md", "HEAD:spec.md", "--repo", bare)
    assert r.code == 1 and "Suggested bump" in r.out


@pytest.mark.parametrize(
    "arg", ["--output=x:spec.md", "-o:spec.md", "--upload-pack=touch x:spec.md", "-:spec.md"]
)
def test_git_revision_spelled_like_an_option(cli, spec_repo: Path, arg: str, monkeypatch) -> None:
    monkeypatch.chdir(spec_repo)
    before = sorted(spec_repo.rglob("*"))
    one_line_error(cli("show", "--", arg), "not a revision")
    one_line_error(cli("diff", "--", arg, "HEAD:spec.md"), "not a revision")
    assert sorted(spec_repo.rglob("*")) == before


def test_no_git_command_gets_user_text_in_an_option_position(cli, spec_repo, monkeypatch) -> None:
    import git as gitpython

    seen: list[list[str]] = []
    real = gitpython.cmd.Git.execute

    def spy(self, command, *args, **kwargs):
        seen.append([str(c) for c in command])
        return real(self, command, *args, **kwargs)

    monkeypatch.setattr(gitpython.cmd.Git, "execute", spy)
    monkeypatch.chdir(spec_repo)
    for rev in ("HEAD~1", "main", "nosuch", "HEAD^{tree}", "--output=x"):
        cli("show", "--", f"{rev}:spec.md")
    for argv in seen:
        for word in argv[1:]:
            assert "spec.md" not in word and "nosuch" not in word and "output" not in word, argv


# --- writes ------------------------------------------------------------------------------


def test_diff_output_is_written_atomically(cli, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "report.md"
    out.write_text("old report\n")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", fail)
    r = cli("diff", V1, V2, "--format", "markdown", "--output", out)
    one_line_error(r, "No space left on device")
    assert out.read_text() == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_interrupted_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "report.md"
    out.write_text("old report\n")

    class Stop(BaseException):
        pass

    def stop(*args: object) -> None:
        raise Stop

    monkeypatch.setattr(atomic.os, "fsync", stop)
    with pytest.raises(Stop):
        atomic.write_text_atomic(out, "new report\n" * 1000)
    assert out.read_text() == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_changelog_write_failure_keeps_the_old_changelog(cli, tmp_path: Path, monkeypatch) -> None:
    log = tmp_path / "CHANGELOG.md"
    original = (ACME / "CHANGELOG.md").read_bytes()
    log.write_bytes(original)

    def fail(src: str, dst: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "replace", fail)
    args = ("changelog", V2, ACME / "v2.0.0" / "acme_spec.md", "--version", "2.0.0")
    r = cli(*args, "--date", "2026-06-01", "--write", log)
    assert r.code == 2 and "Traceback" not in r.err
    errors = [line for line in r.err.splitlines() if line.startswith("specver: error:")]
    assert len(errors) == 1 and "Input/output error" in errors[0]
    assert log.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["CHANGELOG.md"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_commands_write_only_the_paths_named(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    old, new = work / "old.md", work / "new.md"
    old.write_bytes(V1.read_bytes())
    new.write_bytes(V2.read_bytes())
    log = work / "CHANGELOG.md"
    log.write_bytes((ACME / "CHANGELOG.md").read_bytes())
    env = {"HOME": str(tmp_path / "home"), "PYTHONDONTWRITEBYTECODE": "1"}
    runs = [
        (("show", old), set()),
        (("check", old), set()),
        (("diff", old, new), set()),
        (("diff", old, new, "--format", "markdown", "--output", "out/r.md"), set()),
        (("diff", old, new, "--output", "report.txt"), {"report.txt"}),
        (("bump", old, new, "--current", "1.0.0"), set()),
        (("changelog", old, new, "--version", "1.1.0", "--date", "2026-06-01"), set()),
        (
            ("changelog", old, new, "--version", "9.0.0", "--date", "2026-06-01", "--write", log),
            {"CHANGELOG.md"},
        ),
    ]
    for args, allowed in runs:
        before = _tree(work)
        r = run_process(*args, cwd=work, env=env)
        assert "Traceback" not in r.stderr, (args, r.stderr)
        after = _tree(work)
        touched = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert touched == allowed, (args, touched)
    assert not (tmp_path / "home").exists()


# --- reports -----------------------------------------------------------------------------

SAFE_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "code", "pre", "strong", "em",
    "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "hr", "br",
}  # fmt: skip


def assert_inert_markdown(markdown: str) -> None:
    """Render as a PR comment would (CommonMark, raw HTML allowed) and find nothing live."""
    html = pyromark.html(markdown, options=pyromark.Options.ENABLE_TABLES)
    tags = {t.lower() for t in re.findall(r"<\s*([A-Za-z][\w-]*)", html)}
    assert tags <= SAFE_TAGS, tags - SAFE_TAGS
    assert not re.search(r"<[^>]*\son\w+\s*=", html), "event handler attribute survived"
    assert not re.search(r"<[^>]*\b(?:href|src)\s*=", html), "a live link or image survived"


def test_hostile_case_markdown_is_inert(cli) -> None:
    r = cli("diff", CASES / "hostile" / "old.md", CASES / "hostile" / "new.md", "-f", "markdown")
    assert r.code == 1
    assert_inert_markdown(r.out)
    assert "&lt;script&gt;" in r.out


HOSTILE_BITS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "](http://evil.example)",
    "<a href='http://evil.example'>x</a>",
    "![img](http://evil.example/x.png)",
    "<http://evil.example>",
    "http://evil.example",
    "`code`",
    "``",
    "*em* _em_ **b**",
    "| cell |",
    "&lt;script&gt;",
    "<!-- c -->",
    "\\",
    "<details><summary>",
    "</details>",
    "[ref]: http://evil.example",
]
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_BITS), st.text(alphabet="ab <>[]()`*_!&#|\\:/'\"", max_size=8)
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@given(hostile_text, hostile_text, hostile_text)
def test_generated_hostile_titles_and_prose_stay_inert(
    title: str, prose: str, example: str
) -> None:
    title = " ".join(title.replace("{", "(").replace("}", ")").split()) or "x"
    old = (
        "# Group {#g}\n\n## Old title {#p authority=user}\n\nThe assistant should help.\n\n"
        "**Example**: plain\n\n~~~xml\n<user>\nhi\n</user>\n<assistant> <!-- GOOD -->\nok\n"
        "</assistant>\n~~~\n"
    )
    new = (
        f"# Group {{#g}}\n\n## {title} {{#p authority=root}}\n\nThe assistant must help. {prose}\n"
        f"\n**Example**: {example}\n\n~~~xml\n<user>\nhi\n</user>\n<assistant> <!-- BAD: {prose}"
        " -->\nok\n</assistant>\n~~~\n\n## " + title + " 2 {#" + "q authority=user}\n\nNew.\n"
    )
    try:
        result = diff(parse(old, source="old.md"), parse(new, source=f"{title}.md"))
    except InputError:
        return
    assert_inert_markdown(render(DIFF_RENDERERS, "markdown", result, RenderOptions()))


@pytest.mark.parametrize("name", ["md_escape", "md_text"])
def test_markdown_escape_keeps_the_text_readable(name: str) -> None:
    import specver.wording

    escape_text = getattr(specver.wording, name)
    text = "Quote ](http://evil.example) <b> *x* _y_ `z` [a](#b) &amp; www.evil.example"
    escaped = escape_text(text)
    assert_inert_markdown(escaped)
    shown = pyromark.html(escaped)
    assert "](http://evil.example)" in shown and "&lt;b&gt;" in shown
    assert "*x* _y_ `z` [a](#b) &amp;amp; www.evil.example" in shown


def test_markdown_for_people_escapes_only_what_markdown_reads() -> None:
    from specver.wording import md_text

    plain = "rule added: “Root: rules (raised) for snake_case ids” & more; 3 > 2"
    assert md_text(plain) == plain.replace(">", "&gt;")
    for start in ("- item", "+ item", "# title", "> quote", "12. item", "3) item"):
        assert pyromark.html(md_text(start)).startswith("<p>"), start


def test_read_file_reports_what_it_read(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes(b"\xef\xbb\xbf# T {#t}\r\n")
    source = read_file(path)
    assert parse(source.text).policies[0].id == "t"


def test_hostile_case_html_report_is_inert(cli) -> None:
    """The HTML report escapes spec text: no scripts, handlers, or links but its own anchors."""
    r = cli("diff", CASES / "hostile" / "old.md", CASES / "hostile" / "new.md", "-f", "html")
    assert r.code == 1
    html = r.out
    assert "<script" not in html.lower() and "<iframe" not in html.lower()
    assert "<img" not in html.lower()
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", html), "event handler attribute survived"
    for target in re.findall(r"""<[^>]*\b(?:href|src)\s*=\s*["']?([^"'\s>]*)""", html):
        assert target.startswith("#"), target
    assert "&lt;script&gt;" in html


def test_terminal_escape_sequences_in_spec_text_are_shown_not_obeyed(cli, tmp_path: Path) -> None:
    old = tmp_path / "old.md"
    new = tmp_path / "new.md"
    old.write_text("# Title {#t authority=user}\n\nPlain text.\n")
    new.write_text(
        "# Title \x1b[2J\x1b]0;owned\x07 {#t authority=user}\n\nText \x1b[31mred\x1b[0m.\n"
    )
    for args in (("show", new), ("check", new), ("diff", old, new)):
        result = cli(*args)
        assert "\x1b" not in result.out and "\x07" not in result.out, args
    assert "␛[31mred" in cli("diff", old, new).out
