"""The HTML report: self-contained, escaped, and readable in a real headless browser."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specver import api
from specver.render import DIFF_RENDERERS, IMPACT_RENDERERS, RenderOptions, render
from specver.render.fmt_html import environment
from specver.report.impact import Impact

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "fixtures" / "cases"
ACME = ROOT / "fixtures" / "acme"

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "<a href='javascript:alert(2)'>x</a>",
    '<iframe src="javascript:alert(3)"></iframe>',
    "</style><script>alert(4)</script>",
    "<svg onload=alert(5)>",
    "{{ 7*7 }} {% raw %}",
    "&lt;script&gt; &amp;",
)


class Page(HTMLParser):
    """Every element, attribute and piece of text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v or "") for k, v in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def parse_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def assert_inert(html: str) -> Page:
    """No script, no event handler, no javascript: URL, no external request."""
    page = parse_page(html)
    assert "script" not in page.tags
    assert not [a for a in page.attrs if a[1].startswith("on")], "event handler attribute"
    for tag, name, value in page.attrs:
        if name in ("href", "src", "xlink:href", "action", "formaction"):
            url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            assert not url.startswith(("javascript:", "data:", "vbscript:")), (tag, value)
            assert not url.startswith(("http:", "https:", "//")), f"external request {value}"
    assert not {"iframe", "img", "link", "object", "embed"} & set(page.tags)
    css = "".join(page.styles)
    assert "@import" not in css and "url(" not in css
    return page


def impact_html(impact: Impact) -> str:
    """The HTML report of an impact, built as the CLI builds it (view model, then render)."""
    return render(IMPACT_RENDERERS, "html", api.impact_view(impact, "html"), RenderOptions())


def diff_html(old: Path, new: Path) -> str:
    diff = api.diff(api.load(str(old)), api.load(str(new)))
    return render(DIFF_RENDERERS, "html", api.diff_view(diff, "html"), RenderOptions())


# --- escaping and self-containment ---------------------------------------------------------


def test_hostile_case_renders_as_text() -> None:
    html = diff_html(CASES / "hostile" / "old.md", CASES / "hostile" / "new.md")
    page = assert_inert(html)
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text  # shown, as characters
    assert '"><img src=x onerror=alert(1)>' in text
    assert "javascript:alert(1)" in text
    assert "<del>" in html and "<ins>" in html  # the redline marks are real elements


def test_impact_report_for_every_audience_is_inert() -> None:
    old = api.load(str(CASES / "hostile" / "old.md"))
    new = api.load(str(CASES / "hostile" / "new.md"))
    for audience in ("all", "developers", "users", "regulators"):
        impact = api.impact(api.diff(old, new), audience=audience)
        assert_inert(impact_html(impact))


def _spec(title: str, prose: str, answer: str, level: str) -> str:
    return (
        f"# Spec {{#spec}}\n\n## {title} {{#rule authority={level}}}\n\n{prose}\n\n"
        f"**Example**: {title}\n\n~~~xml\n<user>\n{prose}\n</user>\n<comparison>\n"
        f"<assistant> <!-- GOOD: {answer} -->\n{answer}\n</assistant>\n"
        f"<assistant> <!-- BAD -->\nNo.\n</assistant>\n</comparison>\n~~~\n"
    )


words = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\n{}#"),
    max_size=30,
)
hostile = st.builds(lambda a, p, b: f"{a}{p}{b}", words, st.sampled_from(PAYLOADS), words)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile, prose=hostile, answer=hostile)
def test_generated_hostile_specs_stay_inert(title: str, prose: str, answer: str) -> None:
    title = " ".join(title.split()) or "x"
    old = api.parse_text(_spec("Plain title", "Be safe.", "Yes.", "user"), "old.md")
    new_text = _spec(title, prose, answer, "developer").replace("GOOD", "BAD", 1)
    new_text = new_text.replace("<!-- BAD -->", "<!-- GOOD -->", 1)
    new = api.parse_text(new_text, "new.md")
    diff = api.diff(old, new)
    html = render(DIFF_RENDERERS, "html", api.diff_view(diff, "html"), RenderOptions())
    assert_inert(html)
    impact = api.impact(diff, audience="regulators")
    assert_inert(impact_html(impact))


def test_template_engine_escapes_by_default() -> None:
    env = environment()
    assert env.autoescape is True
    rendered = env.from_string("{{ x }}").render(x="<b>")
    assert rendered == "&lt;b&gt;"


def test_report_names_inputs_digests_version_and_date(monkeypatch: pytest.MonkeyPatch) -> None:
    from specver import __version__

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    old = api.load(str(ACME / "v1.1.0" / "acme_spec.md"))
    new = api.load(str(ACME / "v2.0.0" / "acme_spec.md"))
    page = api.diff_view(api.diff(old, new), "html")
    html = render(DIFF_RENDERERS, "html", page, RenderOptions())
    text = "".join(parse_page(html).text)
    for spec in (old, new):
        assert spec.source in text and spec.sha256 in text
    assert f"specver {__version__}" in text and "2026-01-01" in text
    assert html.count('<article class="policy ') == len(
        {c.policy for c in api.diff(old, new).changes if c.policy}
    )


def test_change_table_filters_by_kind_without_script() -> None:
    old = api.load(str(ACME / "v1.1.0" / "acme_spec.md"))
    new = api.load(str(ACME / "v2.0.0" / "acme_spec.md"))
    diff = api.diff(old, new)
    html = render(DIFF_RENDERERS, "html", api.diff_view(diff, "html"), RenderOptions())
    page = parse_page(html)
    radios = {v for tag, k, v in page.attrs if tag == "input" and k == "id"}
    assert radios == {"f-all"} | {f"f-{kind}" for kind in diff.summary}
    for kind in diff.summary:
        assert f"#f-{kind}:checked ~ .table-wrap .change-table tbody tr:not(.k-{kind})" in html
        assert html.count(f'<tr class="k-{kind}">') == diff.summary[kind]
    assert "@media print" in html


def test_chart_has_a_segment_per_level_in_each_version() -> None:
    impact = api.impact(
        api.diff(
            api.load(str(ACME / "v1.1.0" / "acme_spec.md")),
            api.load(str(ACME / "v2.0.0" / "acme_spec.md")),
        )
    )
    html = impact_html(impact)
    svg = html[html.index("<svg") : html.index("</svg>")]
    bars = re.findall(r"<rect [^>]*><title>(\w+) in ([^:<]+): (\d+)</title>", svg)
    expected = {
        (c.level, side, str(n))
        for c in impact.scope.levels
        for side, n in (("acme_spec.md", c.before), ("acme_spec.md", c.after))
        if n
    }
    assert set(bars) == expected
    assert len(re.findall(r'<g class="column">', svg)) == 2  # one column per version


def test_cli_diff_and_impact_write_html(cli, tmp_path: Path) -> None:
    for command in ("diff", "impact"):
        out = tmp_path / f"{command}.html"
        result = cli(
            command,
            ACME / "v1.1.0/acme_spec.md",
            ACME / "v2.0.0/acme_spec.md",
            "-f",
            "html",
            "-o",
            out,
        )
        assert result.code == 1 and result.out == ""
        assert out.read_text().startswith("<!DOCTYPE html>")


# --- headless chromium ---------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--enable-logging=stderr",
    "--v=0",
)


def _install_chromium() -> str | None:
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        subprocess.run(install, env=env, capture_output=True, check=False)
    return shutil.which("chromium")


def find_chromium() -> str:
    """Debian's chromium, installed with apt-get when missing and possible; else skip."""
    found = shutil.which("chromium") or shutil.which("chromium-browser") or _install_chromium()
    if not found:
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt)")
    return found


@pytest.fixture(scope="session")
def chromium() -> str:
    """The browser the tests below drive (see `find_chromium`)."""
    return find_chromium()


def run_chromium(
    binary: str, page: Path, tmp: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard for the browser, never a speed test
        check=False,
    )


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def write_report(old: Path, new: Path, tmp_path: Path) -> Path:
    impact = api.impact(api.diff(api.load(str(old)), api.load(str(new))))
    page = tmp_path / "report.html"
    page.write_text(impact_html(impact), encoding="utf-8")
    return page


@pytest.mark.browser
def test_console_scan_detects_errors(chromium: str, tmp_path: Path) -> None:
    """The console check below is able to fail: a page that logs an error is caught."""
    probe = tmp_path / "probe.html"
    probe.write_text('<!DOCTYPE html><p>x</p><script>console.error("specver-probe")</script>')
    result = run_chromium(chromium, probe, tmp_path, "--dump-dom")
    assert any("specver-probe" in line for line in console_lines(result.stderr))


def check_in_browser(chromium: str, page: Path, tmp_path: Path) -> Path:
    """Load the page: no console output, summary and chart in the DOM; return a screenshot."""
    result = run_chromium(chromium, page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_lines(result.stderr) == []
    dom = parse_page(result.stdout)
    ids = {v for _tag, k, v in dom.attrs if k == "id"}
    assert {"summary", "chart", "changes"} <= ids
    assert dom.tags.count("rect") >= 4 and "svg" in dom.tags
    assert "script" not in dom.tags
    shot = tmp_path / "report.png"
    result = run_chromium(
        chromium, page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_lines(result.stderr) == []
    assert shot.is_file() and shot.stat().st_size > 50_000
    assert png_size(shot) == (1280, 2000)
    return shot


@pytest.mark.browser
def test_acme_report_in_chromium(chromium: str, tmp_path: Path) -> None:
    page = write_report(ACME / "v1.1.0/acme_spec.md", ACME / "v2.0.0/acme_spec.md", tmp_path)
    check_in_browser(chromium, page, tmp_path)


@pytest.mark.browser
def test_hostile_report_in_chromium(chromium: str, tmp_path: Path) -> None:
    page = write_report(CASES / "hostile/old.md", CASES / "hostile/new.md", tmp_path)
    check_in_browser(chromium, page, tmp_path)


@pytest.mark.browser
def test_corpus_report_in_chromium(chromium: str, corpus: Path, tmp_path: Path) -> None:
    page = write_report(corpus / "2025-04-11.md", corpus / "2025-09-12.md", tmp_path)
    check_in_browser(chromium, page, tmp_path)


# --- the report a reviewer reads alone: navigation, labels, formatted text -----------------


class Dom(HTMLParser):
    """Ids, in-page links, the page's text, and the text inside redlines and full texts."""

    MARKED = ("redline", "fulltext")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.nav_links: list[str] = []
        self.text: list[str] = []
        self.marked: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        classes = str(values.get("class") or "").split()
        marked = any(c in self.MARKED for c in classes) or bool(self._stack and self._stack[-1][1])
        in_nav = tag == "nav" or bool(self._stack and self._stack[-1][2])
        href = str(values.get("href") or "")
        if tag == "a" and href.startswith("#"):
            self.links.append(href[1:])
            if in_nav:
                self.nav_links.append(href[1:])
        if tag not in ("br", "hr", "meta", "input", "line", "rect"):
            self._stack.append((tag, marked, in_nav))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1][0] in ("style", "title"):
            return
        self.text.append(data)
        if self._stack and self._stack[-1][1]:
            self.marked.append(data)


def read_dom(html: str) -> Dom:
    dom = Dom()
    dom.feed(html)
    dom.close()
    return dom


def titles(diff: api.SpecDiff) -> dict[str, str]:
    """Policy ids -> titles, with which `[?](#id)` links read."""
    return {p.id: p.title for p in diff.old} | {q.id: q.title for q in diff.new}


def squeeze(text: str) -> str:
    return " ".join(text.split())


def corpus_report(corpus: Path, command: str) -> tuple[str, api.SpecDiff]:
    """The HTML report of the corpus pair 2025-04-11 -> 2025-09-12, as the CLI builds it."""
    old, new = api.load(str(corpus / "2025-04-11.md")), api.load(str(corpus / "2025-09-12.md"))
    diff = api.diff(old, new)
    labels = (api.version_label(old), api.version_label(new))
    if command == "diff":
        view = api.diff_view(diff, "html", None, labels)
        return render(DIFF_RENDERERS, "html", view, RenderOptions()), diff
    page = api.impact_view(api.impact(diff), "html", None, labels)
    return render(IMPACT_RENDERERS, "html", page, RenderOptions()), diff


def test_navigation_lists_sections_then_changed_policies_by_level(corpus: Path) -> None:
    html, diff = corpus_report(corpus, "impact")
    dom = read_dom(html)
    sections = ["summary", "steerability", "safeguards", "evals", "scope"]
    assert dom.nav_links[: len(sections)] == sections
    changed = {c.policy for c in diff.changes if c.policy}
    assert {link[2:] for link in dom.nav_links if link.startswith("p-")} == changed
    assert set(dom.links) <= dom.ids  # every in-page link lands on an element
    nav = html[html.index('<nav class="toc"') : html.index("</nav>")]
    headings = re.findall(r"<h2>([^<]+)</h2>", nav)
    assert headings[:2] == ["Report", "root level"] and "Groupings (no level)" in headings
    assert headings[-1] == "Reference"


def test_permalink_anchor_per_policy_and_per_change(corpus: Path) -> None:
    html, diff = corpus_report(corpus, "diff")
    dom = read_dom(html)
    change_ids = [i for i in dom.ids if i.startswith("c-")]
    assert len(change_ids) == len(diff.changes)  # one anchor each, none shared
    for c in diff.changes:
        if c.policy:
            assert f"p-{c.policy}" in dom.ids
    assert html.count('class="perma"') >= len(diff.changes)


def test_versions_are_named_by_release_and_date(corpus: Path) -> None:
    html, _diff = corpus_report(corpus, "impact")
    text = squeeze("".join(read_dom(html).text))
    assert "2025-04-11.md → 2025-09-12.md" in text  # a file is named by its name
    assert "Full text" in text and "Glossary" in text


def test_added_and_removed_policies_are_shown_in_full(corpus: Path) -> None:
    from specver.spec.formatted import formatted_blocks

    html, diff = corpus_report(corpus, "impact")
    text = squeeze("".join(read_dom(html).text))
    gone = [c.policy for c in diff.changes if c.kind == "policy_removed"]
    added = [c.policy for c in diff.changes if c.kind == "policy_added"]
    assert added and gone
    for policy in added:
        for block in formatted_blocks(diff.new[str(policy)].prose, titles(diff)):
            assert squeeze(block.text) in text, (policy, block.text[:60])
    for policy in gone:
        for block in formatted_blocks(diff.old[str(policy)].prose, titles(diff)):
            assert squeeze(block.text) in text, (policy, block.text[:60])


def test_redlines_show_formatted_text_without_markup(corpus: Path) -> None:
    html, _diff = corpus_report(corpus, "impact")
    marked = "".join(read_dom(html).marked)
    assert marked
    for raw in ("[?](#", "**", "](#", "[^"):
        assert raw not in marked, raw
    assert '<sup class="fn"' in html and "<strong>" in html and "<em>" in html


def test_glossary_explains_the_report_words() -> None:
    from specver.report.glossary import GLOSSARY

    old = api.load(str(ACME / "v1.1.0" / "acme_spec.md"))
    new = api.load(str(ACME / "v2.0.0" / "acme_spec.md"))
    html = impact_html(api.impact(api.diff(old, new)))
    dom = read_dom(html)
    for term in GLOSSARY:
        assert f"g-{term.key}" in dom.ids
    words = " ".join(t.term.lower() + " " + t.meaning.lower() for t in GLOSSARY)
    for needed in ("commentary", "bump minor", "grouping", "tightened", "loosened", "new rule"):
        assert needed in words, needed
    assert 'href="#g-bump"' in html  # the bump badge points at its explanation


def test_labels_override_and_tag_dates(tmp_path: Path, cli) -> None:
    from tests.gitutil import commit_file, git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    v1 = (ACME / "v1.1.0" / "acme_spec.md").read_text(encoding="utf-8")
    v2 = (ACME / "v2.0.0" / "acme_spec.md").read_text(encoding="utf-8")
    commit_file(repo, "spec.md", v1, "one")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.invalid", "tag", "-a",
        "release-1", "-m", "first")  # fmt: skip
    commit_file(repo, "spec.md", v2, "two")
    git(repo, "tag", "release-2")  # lightweight: dated by its commit
    out = tmp_path / "r.html"
    result = cli("impact", "release-1:spec.md", "release-2:spec.md", "--repo", repo,
                 "-f", "html", "-o", out)  # fmt: skip
    assert result.code == 1, result.err
    text = squeeze("".join(read_dom(out.read_text()).text))
    today = git(repo, "log", "-1", "--format=%cs").strip()
    assert f"release-1 ({today}) → release-2 ({today})" in text
    labels = ("--old-label", "Spring draft", "--new-label", "Summer release")
    result = cli("diff", "release-1:spec.md", "release-2:spec.md", "--repo", repo, "-f", "html",
                 *labels, "-o", out)  # fmt: skip
    text = squeeze("".join(read_dom(out.read_text()).text))
    assert f"Spring draft ({today}) → Summer release ({today})" in text


def test_front_matter_names_a_file_version() -> None:
    spec = api.parse_text("---\nversion: 3.1\ndate: 2026-02-01\n---\n# A {#a}\n\nText.\n", "x.md")
    label = api.version_label(spec)
    assert (label.name, label.date, label.text) == ("3.1", "2026-02-01", "3.1 (2026-02-01)")
    assert api.version_label(spec, name="Board copy").text == "Board copy (2026-02-01)"


def test_print_stylesheet_keeps_the_report_readable_on_paper() -> None:
    old = api.load(str(ACME / "v1.1.0" / "acme_spec.md"))
    new = api.load(str(ACME / "v2.0.0" / "acme_spec.md"))
    html = impact_html(api.impact(api.diff(old, new)))
    css = html[html.index("@media print") :]
    assert "nav.toc" in css and "display: none" in css  # the navigation column is not printed
    assert "print-color-adjust: exact" in css  # redline colours survive printing
    assert "break-inside: avoid" in css


def _shoot(chromium: str, page: Path, tmp_path: Path, width: int) -> Path:
    shot = tmp_path / f"{page.stem}-{width}.png"
    result = run_chromium(
        chromium, page, tmp_path, f"--screenshot={shot}", f"--window-size={width},2400",
        "--hide-scrollbars",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_lines(result.stderr) == []
    assert png_size(shot) == (width, 2400)
    return shot


@pytest.mark.browser
@pytest.mark.parametrize("command", ["impact", "diff"])
def test_corpus_pair_report_in_chromium(
    chromium: str, corpus: Path, tmp_path: Path, command: str
) -> None:
    """The corpus pair's report as chromium builds it: links land, texts whole, no markup."""
    from specver.spec.formatted import formatted_blocks

    html, diff = corpus_report(corpus, command)
    page = tmp_path / f"{command}.html"
    page.write_text(html, encoding="utf-8")
    result = run_chromium(chromium, page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_lines(result.stderr) == []
    dom = read_dom(result.stdout)
    assert dom.nav_links and set(dom.nav_links) <= dom.ids
    assert set(dom.links) <= dom.ids
    text = squeeze("".join(dom.text))
    for c in diff.changes:
        if c.kind == "policy_added":
            for block in formatted_blocks(diff.new[str(c.policy)].prose, titles(diff)):
                assert squeeze(block.text) in text
    marked = "".join(dom.marked)
    assert "[?](#" not in marked and "**" not in marked
    for width in (1280, 390):
        _shoot(chromium, page, tmp_path, width)
