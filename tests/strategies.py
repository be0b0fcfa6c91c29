"""Hypothesis strategies for specs: generated documents that use every convention specver reads.

A generated spec is a small model (`GenSpec` of `GenPolicy` trees with `GenExample`s) rendered
to Markdown by `render_spec`, so properties can change it on purpose (`rename_ids`,
`shuffle_siblings`, `MUTATIONS`) and know what the diff should say. `noisy_text` and friends
give hostile text for "never crashes" properties. Settings profiles live here too: `ci`
(small fixed budget, loaded by conftest) and `fuzz` (many examples, used by `tests.fuzz`).

Other suites reuse these: `specs()`, `spec_pairs()`, `render_spec(...)` and `MUTATIONS`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

_T = TypeVar("_T")

# --- settings profiles -------------------------------------------------------------------

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "quick",
    max_examples=40,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=10_000_000,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# --- vocabulary --------------------------------------------------------------------------

_SYLLABLES = ("ka", "lo", "mi", "ru", "te", "san", "vor", "pel", "dui", "nex", "qua", "zim")
WORDS: tuple[str, ...] = tuple(
    a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("", "n", "st")
)
"""Made-up content words: distinct enough that unrelated generated policies never look alike."""

MODALS = ("must", "must not", "should", "should not", "may", "never", "can", "avoid")
LEVELS = ("root", "system", "developer", "user", "guideline", "platform")
VERDICT_LABELS = ("GOOD", "BAD", "OK")

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A sentence of made-up words, often carrying a modal and sometimes an exception."""
    subject = draw(words)
    body = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=8))
    modal = draw(st.sampled_from(MODALS))
    text = f"The assistant {modal} {subject} {' '.join(body)}"
    if draw(st.booleans()) and draw(st.booleans()):
        text += f" unless {draw(words)}"
    return text[0].upper() + text[1:] + "."


paragraphs = st.lists(sentences(), min_size=1, max_size=2).map(" ".join)
ids = st.from_regex(r"[a-z][a-z0-9_]{2,12}", fullmatch=True)
titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(
    lambda ws: " ".join(ws).capitalize()
)

# --- the generated spec model ------------------------------------------------------------


@dataclass(frozen=True)
class GenAnswer:
    """One judged candidate answer."""

    verdict: str
    reason: str
    cites: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class GenExample:
    """A worked example; `title` None makes an untitled illustration."""

    title: str | None
    user: str
    answers: tuple[GenAnswer, ...]
    comparison: bool = True
    inner_fence: str = ""
    """`closed` or `unclosed` puts a code fence inside the user message."""
    system: str = ""


@dataclass(frozen=True)
class GenPolicy:
    """A section with its own content and its subsections."""

    id: str
    title: str
    authority: str | None
    explicit: bool = True
    tags: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    commentary: tuple[str, ...] = ()
    examples: tuple[GenExample, ...] = ()
    refs: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    children: tuple[GenPolicy, ...] = ()


@dataclass(frozen=True)
class GenSpec:
    """A whole generated spec."""

    preamble: str
    sections: tuple[GenPolicy, ...]

    def walk(self) -> list[GenPolicy]:
        """Every section in document order."""
        out: list[GenPolicy] = []

        def visit(items: tuple[GenPolicy, ...]) -> None:
            for p in items:
                out.append(p)
                visit(p.children)

        visit(self.sections)
        return out


# --- rendering ---------------------------------------------------------------------------


def render_heading(p: GenPolicy, depth: int) -> str:
    """`## Title {#id authority=... tags=...}`, or a bare title for a slug-id section."""
    if not p.explicit:
        return f"{'#' * depth} {p.title}"
    attrs = [f"#{p.id}"]
    if p.authority:
        attrs.append(f"authority={p.authority}")
    if p.tags:
        attrs.append(f"tags={','.join(p.tags)}")
    return f"{'#' * depth} {p.title} {{{' '.join(attrs)}}}"


def render_example(ex: GenExample) -> str:
    """`**Example**: title` and its `~~~xml` conversation with verdict comments."""
    out: list[str] = []
    if ex.title is not None:
        out += [f"**Example**: {ex.title}", ""]
    out.append("~~~xml")
    if ex.system:
        out += ["<developer>", ex.system, "</developer>"]
    user = ex.user
    if ex.inner_fence == "closed":
        user += "\n```python\nprint('x')\n```"
    elif ex.inner_fence == "unclosed":
        user += "\n```python\nprint('never closed')"
    out += ["<user>", user, "</user>"]
    if ex.comparison:
        out.append("<comparison>")
    for a in ex.answers:
        cites = f"[{', '.join('#' + c for c in a.cites)}]" if a.cites else ""
        reason = f": {a.reason}" if a.reason else ""
        out += [f"<assistant> <!-- {a.verdict}{cites}{reason} -->", a.text, "</assistant>"]
    if ex.comparison:
        out.append("</comparison>")
    out.append("~~~")
    return "\n".join(out)


def render_policy(p: GenPolicy, depth: int) -> list[str]:
    """The Markdown blocks of one section and its subsections."""
    blocks = [render_heading(p, depth)]
    paras = list(p.paragraphs)
    if paras and p.refs:
        paras[-1] += " See " + " and ".join(f"[?](#{r})" for r in p.refs) + "."
    if paras and p.footnotes:
        paras[0] += "".join(f"[^{f}]" for f in p.footnotes)
    blocks += paras
    for c in p.commentary:
        blocks.append('!!! meta "Commentary"\n    ' + c)
    blocks += [render_example(ex) for ex in p.examples]
    for child in p.children:
        blocks += render_policy(child, min(depth + 1, 6))
    return blocks


def render_spec(spec: GenSpec) -> str:
    """The generated spec as Markdown text."""
    blocks = [spec.preamble] if spec.preamble else []
    for p in spec.sections:
        blocks += render_policy(p, 1)
    return "\n\n".join(blocks) + "\n"


# --- strategies --------------------------------------------------------------------------


@st.composite
def answers(draw: st.DrawFn, cite_pool: tuple[str, ...] = ()) -> GenAnswer:
    """A candidate answer with a verdict, sometimes citing policies as `BAD[#id]`."""
    verdict = draw(st.sampled_from(VERDICT_LABELS))
    cites: tuple[str, ...] = ()
    if verdict == "BAD" and cite_pool and draw(st.booleans()):
        cites = (draw(st.sampled_from(cite_pool)),)
    reason = draw(st.one_of(st.just(""), words))
    return GenAnswer(verdict, reason, cites, draw(paragraphs))


@st.composite
def examples(draw: st.DrawFn, cite_pool: tuple[str, ...] = ()) -> GenExample:
    """A worked example: titled or not, with a comparison group and maybe an inner fence."""
    return GenExample(
        title=draw(st.one_of(titles, st.none())) if draw(st.booleans()) else draw(titles),
        user=draw(paragraphs),
        answers=tuple(draw(st.lists(answers(cite_pool), min_size=1, max_size=2))),
        comparison=draw(st.booleans()),
        inner_fence=draw(st.sampled_from(("", "", "closed", "unclosed"))),
        system=draw(st.one_of(st.just(""), paragraphs)),
    )


@st.composite
def policies(draw: st.DrawFn, used: set[str], depth: int = 2) -> GenPolicy:
    """A policy with authority, prose and maybe tags, commentary, examples and footnotes."""
    ident = draw(ids.filter(lambda i: i not in used))
    used.add(ident)
    title = draw(titles.filter(lambda t: t.lower() not in used))
    used.add(title.lower())
    children: tuple[GenPolicy, ...] = ()
    if depth < 6 and draw(st.integers(0, 5)) == 0:
        children = tuple(draw(st.lists(policies(used, depth + 1), min_size=1, max_size=2)))
    return GenPolicy(
        id=ident,
        title=title,
        authority=draw(st.sampled_from(LEVELS)),
        tags=tuple(
            draw(st.lists(st.sampled_from(("safety", "style", "privacy")), max_size=2, unique=True))
        ),
        paragraphs=tuple(draw(st.lists(paragraphs, min_size=1, max_size=2))),
        commentary=tuple(draw(st.lists(paragraphs, max_size=1))),
        examples=tuple(draw(st.lists(examples(), max_size=1))),
        footnotes=tuple(
            draw(st.lists(st.from_regex(r"[a-z][0-9][a-z][0-9]", fullmatch=True), max_size=1))
        ),
        children=children,
    )


@st.composite
def groups(draw: st.DrawFn, used: set[str]) -> GenPolicy:
    """A grouping heading (no authority), sometimes with a slug id, holding policies."""
    explicit = draw(st.integers(0, 3)) > 0
    ident = draw(ids.filter(lambda i: i not in used))
    used.add(ident)
    title = draw(titles.filter(lambda t: t.lower() not in used))
    used.add(title.lower())
    if not explicit:
        ident = title.lower().replace(" ", "-")
    return GenPolicy(
        id=ident,
        title=title,
        authority=None,
        explicit=explicit,
        paragraphs=tuple(draw(st.lists(paragraphs, max_size=1))),
        children=tuple(draw(st.lists(policies(used), min_size=1, max_size=3))),
    )


def _with_links(spec: GenSpec, rnd: random.Random) -> GenSpec:
    """Add cross references and `BAD[#id]` citations between the spec's own sections."""
    targets = [p.id for p in spec.walk() if p.explicit]

    def link(p: GenPolicy) -> GenPolicy:
        refs = tuple(rnd.sample(targets, k=min(len(targets), rnd.randint(0, 2))))
        exs = tuple(
            replace(
                ex,
                answers=tuple(
                    replace(a, cites=(rnd.choice(targets),))
                    if a.verdict == "BAD" and rnd.random() < 0.5
                    else a
                    for a in ex.answers
                ),
            )
            for ex in p.examples
        )
        refs = refs if p.paragraphs else ()
        return replace(p, refs=refs, examples=exs, children=tuple(link(c) for c in p.children))

    return replace(spec, sections=tuple(link(p) for p in spec.sections))


@st.composite
def gen_specs(draw: st.DrawFn, min_groups: int = 1, max_groups: int = 3) -> GenSpec:
    """A generated spec model: a preamble, grouping sections, policies, links between them."""
    used: set[str] = set()
    preamble = draw(st.one_of(st.just(""), paragraphs))
    sections = tuple(draw(st.lists(groups(used), min_size=min_groups, max_size=max_groups)))
    spec = GenSpec(preamble, sections)
    return _with_links(spec, random.Random(draw(st.integers(0, 2**16))))


def specs() -> st.SearchStrategy[str]:
    """Generated spec Markdown text."""
    return gen_specs().map(render_spec)


# --- transformations with a known diff ---------------------------------------------------


def _map_policies(spec: GenSpec, fn: Callable[[GenPolicy], GenPolicy]) -> GenSpec:
    def visit(p: GenPolicy) -> GenPolicy:
        return fn(replace(p, children=tuple(visit(c) for c in p.children)))

    return replace(spec, sections=tuple(visit(p) for p in spec.sections))


def rename_ids(spec: GenSpec, suffix: str = "_v2") -> GenSpec:
    """Every explicit id renamed, with cross references and citations following."""
    explicit = {p.id for p in spec.walk() if p.explicit}

    def new(i: str) -> str:
        return i + suffix if i in explicit else i

    def fn(p: GenPolicy) -> GenPolicy:
        exs = tuple(
            replace(
                ex,
                answers=tuple(replace(a, cites=tuple(map(new, a.cites))) for a in ex.answers),
            )
            for ex in p.examples
        )
        return replace(p, id=new(p.id), refs=tuple(map(new, p.refs)), examples=exs)

    return _map_policies(spec, fn)


def shuffle_siblings(spec: GenSpec, rnd: random.Random) -> GenSpec:
    """The same sections with the order of siblings (and of examples) shuffled."""

    def shuffled(items: tuple[_T, ...]) -> tuple[_T, ...]:
        out = list(items)
        rnd.shuffle(out)
        return tuple(out)

    def fn(p: GenPolicy) -> GenPolicy:
        return replace(p, children=shuffled(p.children), examples=shuffled(p.examples))

    spec = _map_policies(spec, fn)
    return replace(spec, sections=shuffled(spec.sections))


# Mutations: each changes one leaf policy (chosen by index among leaves) in one way.
Mutation = Callable[[GenPolicy, random.Random], GenPolicy | None]
"""Return the changed policy, or None to remove it."""


def _raise_level(p: GenPolicy, rnd: random.Random) -> GenPolicy:
    others = [lv for lv in LEVELS if lv != p.authority]
    return replace(p, authority=rnd.choice(others))


def _fresh_text(rnd: random.Random, n: int = 12) -> str:
    return "The assistant must " + " ".join(rnd.choice(WORDS) for _ in range(n)) + "."


def _edit_text(p: GenPolicy, rnd: random.Random) -> GenPolicy:
    return replace(p, paragraphs=(*p.paragraphs, _fresh_text(rnd)))


def _tighten(p: GenPolicy, rnd: random.Random) -> GenPolicy:
    paras = tuple(s.replace(" may ", " must ").replace(" should ", " must ") for s in p.paragraphs)
    return replace(p, paragraphs=paras if paras != p.paragraphs else (*paras, _fresh_text(rnd)))


def _flip_verdict(p: GenPolicy, rnd: random.Random) -> GenPolicy:
    if not p.examples:
        return _add_example(p, rnd)
    ex = p.examples[0]
    flipped = tuple(
        replace(a, verdict={"GOOD": "BAD", "BAD": "GOOD", "OK": "BAD"}.get(a.verdict, a.verdict))
        for a in ex.answers
    )
    return replace(p, examples=(replace(ex, answers=flipped), *p.examples[1:]))


def _add_example(p: GenPolicy, rnd: random.Random) -> GenPolicy:
    ex = GenExample(
        title="Fresh " + " ".join(rnd.choice(WORDS) for _ in range(3)),
        user=_fresh_text(rnd),
        answers=(GenAnswer("GOOD", "", (), _fresh_text(rnd)),),
    )
    return replace(p, examples=(*p.examples, ex))


def _remove(p: GenPolicy, rnd: random.Random) -> GenPolicy | None:
    return None


def _tags(p: GenPolicy, rnd: random.Random) -> GenPolicy:
    return replace(p, tags=(*p.tags, "audited") if "audited" not in p.tags else ())


def _commentary(p: GenPolicy, rnd: random.Random) -> GenPolicy:
    return replace(p, commentary=(*p.commentary, _fresh_text(rnd)))


MUTATIONS: dict[str, Mutation] = {
    "authority": _raise_level,
    "text": _edit_text,
    "tighten": _tighten,
    "verdict": _flip_verdict,
    "example_added": _add_example,
    "removed": _remove,
    "tags": _tags,
    "commentary": _commentary,
}
"""Named single-policy changes, applied to leaf policies by `mutate`."""


def leaves(spec: GenSpec) -> list[str]:
    """Ids of the policies without subsections (the ones mutations touch)."""
    return [p.id for p in spec.walk() if p.authority is not None and not p.children]


def mutate(spec: GenSpec, steps: list[tuple[str, str]], seed: int = 0) -> GenSpec:
    """Apply (mutation name, policy id) steps; a removed policy's references go with it."""
    todo = {pid: name for name, pid in steps}
    gone: set[str] = set()

    def visit(items: tuple[GenPolicy, ...]) -> tuple[GenPolicy, ...]:
        out = []
        for p in items:
            q: GenPolicy | None = replace(p, children=visit(p.children))
            if p.id in todo and q is not None:
                q = MUTATIONS[todo[p.id]](q, random.Random(f"{seed}:{p.id}"))
            if q is None:
                gone.add(p.id)
            else:
                out.append(q)
        return tuple(out)

    changed = replace(spec, sections=visit(spec.sections))
    return _map_policies(changed, lambda p: _drop_links(p, gone)) if gone else changed


def _drop_links(p: GenPolicy, gone: set[str]) -> GenPolicy:
    exs = tuple(
        replace(
            ex,
            answers=tuple(
                replace(a, cites=tuple(c for c in a.cites if c not in gone)) for a in ex.answers
            ),
        )
        for ex in p.examples
    )
    return replace(p, refs=tuple(r for r in p.refs if r not in gone), examples=exs)


@st.composite
def mutation_plans(draw: st.DrawFn, spec: GenSpec, max_steps: int = 4) -> list[tuple[str, str]]:
    """Distinct (mutation, policy id) steps over a spec's leaf policies."""
    targets = leaves(spec)
    if not targets:
        return []
    chosen = draw(
        st.lists(
            st.sampled_from(targets), unique=True, min_size=1, max_size=min(max_steps, len(targets))
        )
    )
    return [(draw(st.sampled_from(sorted(MUTATIONS))), t) for t in chosen]


@st.composite
def spec_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two related versions of a generated spec (the second mutated from the first)."""
    base = draw(gen_specs())
    plan = draw(mutation_plans(base))
    return render_spec(base), render_spec(mutate(base, plan, seed=draw(st.integers(0, 99))))


# --- hostile text ------------------------------------------------------------------------

FRAGMENTS: tuple[str, ...] = (
    "# Title {#id}",
    "## Policy {#p authority=root tags=a,b}",
    "###### Deep {#deep authority=user}",
    "## Odd {#q authority='unterminated}",
    "## Odd {#q key=\"a b\" other='c d'}",
    "## Odd {#q #r}",
    "## Odd {#}",
    "## Odd {#x",
    "## Odd {.cls key=}",
    "## Dup {#dup}",
    "## Dup {#dup}",
    "{#only}",
    "# {#}",
    '!!! meta "Commentary"',
    "    indented commentary",
    "!!! note",
    "~~~xml",
    "~~~",
    "```",
    "```python",
    "<user>",
    "</user>",
    "<assistant> <!-- BAD[#p]: why -->",
    "<assistant> <!-- GOOD",
    "<!-- BAD[#",
    "</assistant>",
    "<comparison>",
    "</comparison>",
    "**Example**: title",
    "**Example:**",
    "[?](#p)",
    "[text](#)",
    "[^fn1]",
    "[^]",
    "- item",
    "  - nested",
    "> quote",
    "1. one",
    "| a | b |",
    "---",
    "",
    "\t",
    "\r\n",
    "\ufeff",
)


def noisy_text() -> st.SearchStrategy[str]:
    """Lines mixing spec syntax fragments with arbitrary unicode: text meant to break parsers."""
    line = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
    return st.lists(line, max_size=60).map("\n".join)


def decoded_bytes() -> st.SearchStrategy[str]:
    """Random bytes decoded the forgiving ways (`replace` and `surrogateescape`)."""
    return st.tuples(st.binary(max_size=400), st.sampled_from(("replace", "surrogateescape"))).map(
        lambda t: t[0].decode("utf-8", t[1])
    )


def any_text() -> st.SearchStrategy[str]:
    """Any text specver might be handed: unicode, decoded bytes, syntax noise, real specs."""
    return st.one_of(st.text(), decoded_bytes(), noisy_text(), specs())


# --- reading diffs back for properties ---------------------------------------------------

MIRRORED_KINDS = {
    "policy_added": "policy_removed",
    "policy_removed": "policy_added",
    "example_added": "example_removed",
    "example_removed": "example_added",
}
MIRRORED_DIRECTIONS = {
    "raised": "lowered",
    "lowered": "raised",
    "set": "cleared",
    "cleared": "set",
    "tightened": "loosened",
    "loosened": "tightened",
    "verdict:tightened": "verdict:loosened",
    "verdict:loosened": "verdict:tightened",
}


def change_signature(diff: Any, change: Any) -> tuple[Any, ...]:
    """A change in side-neutral terms: kind, the (old id, new id) it touches, its directions."""
    kind = change.kind
    if change.policy is None:
        return (kind, change.details.old, change.details.new)
    if kind == "policy_removed":
        where = (change.policy, None)
    else:
        where = (diff.old_id(change.policy), change.policy)
    directions: tuple[str, ...] = ()
    if kind == "authority_changed":
        directions = (change.details.direction,)
    elif kind == "text_changed":
        directions = tuple(sorted(n.direction for n in change.details.normative))
        directions += (f"verdict:{change.details.verdict}",)
    if kind == "example_moved":
        source = change.details.old_policy
        origin = (diff.old_id(source), source) if diff.old_id(source) else (source, None)
        return (kind, frozenset({origin, where}))
    return (kind, where, directions)


def mirrored_signature(signature: tuple[Any, ...]) -> tuple[Any, ...]:
    """The signature the same change has when the two versions are swapped."""
    kind = signature[0]
    if len(signature) == 2:
        return (kind, frozenset((b, a) for a, b in signature[1]))
    if signature[1] is None or isinstance(signature[1], str):
        return (kind, signature[2], signature[1])
    where, directions = signature[1], signature[2]
    swapped = tuple(sorted(MIRRORED_DIRECTIONS.get(d, d) for d in directions))
    return (MIRRORED_KINDS.get(kind, kind), (where[1], where[0]), swapped)


# --- documents with every region kind, and single-word edits ------------------------------

REGION_BLOCKS: tuple[str, ...] = (
    "| {a} | {b} |\n|---|---|\n| {c} | {d} |",
    "```text\n{a} {b}\n{c}\n```",
    "    {a} {b} {c}",
    '<div class="{a}">{b} {c}</div>',
    "<!-- {a} {b} {c} -->",
    "> {s}",
    '!!! note "{a}"\n    {s}',
    "[^{a}]: {s}",
    '[{a}]: https://example.org/{b} "{c}"',
    "- {s}\n- {a} {b}",
    "{{% if {a} %}}\n{s}\n{{% endif %}}",
    "{a} {b}\n===",
    "{s}\n\n{a} {b} {{{{ {c} }}}}",
)
"""Blocks of every kind a section's region can hold beyond prose and examples (tables, code,
HTML, comments, quotes, admonitions, footnote and link definitions, lists, template tags,
a setext heading), with `{a}`..`{d}` words and `{s}` a sentence."""


@st.composite
def region_block(draw: st.DrawFn) -> str:
    """One block of `REGION_BLOCKS` filled with made-up words."""
    template = draw(st.sampled_from(REGION_BLOCKS))
    picked = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=4))
    return template.format(a=picked[0], b=picked[1], c=picked[2], d=picked[3], s=draw(sentences()))


@st.composite
def front_matter_blocks(draw: st.DrawFn) -> str:
    """A YAML front matter block: a title, a version and a list."""
    picked = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=3))
    version = draw(st.integers(1, 99))
    return f"---\ntitle: {picked[0]}\nversion: {version}\ntags: [{picked[1]}, {picked[2]}]\n---"


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A document with any mix of regions: front matter, a preamble, sections holding
    region blocks between their own blocks, or no heading at all."""
    blocks: list[str] = []
    if draw(st.booleans()):
        blocks.append(draw(front_matter_blocks()))
    if draw(st.integers(0, 4)) == 0:
        body = draw(st.lists(st.one_of(paragraphs, region_block()), min_size=1, max_size=5))
        return "\n\n".join([*blocks, *body]) + "\n"
    spec = render_spec(draw(gen_specs(max_groups=2))).rstrip("\n").split("\n\n")
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(spec)))
        spec.insert(at, draw(region_block()))
    return "\n\n".join([*blocks, *spec]) + "\n"


EDITABLE_WORD_RE = re.compile(r"[A-Za-z]{2,}")
"""A word an edit may replace, delete or insert after."""


@dataclass(frozen=True)
class WordEdit:
    """A single-word edit of a document: what was done, where, and the result."""

    text: str
    line: int
    """1-based line of the edit."""
    how: str
    word: str


@st.composite
def word_edits(draw: st.DrawFn, text: str) -> WordEdit | None:
    """Replace, delete or insert one word at a random position of `text` (None when the
    text has no word). Heading lines only have a word replaced, so attribute blocks stay
    well formed (a malformed one is an input error, exit 2, not an unseen edit)."""
    found = list(EDITABLE_WORD_RE.finditer(text))
    if not found:
        return None
    m = found[draw(st.integers(0, len(found) - 1))]
    start, end = m.span()
    line = text.count("\n", 0, start) + 1
    line_text = text.split("\n")[line - 1]
    how = draw(st.sampled_from(("replace", "insert", "delete")))
    glued = text[start - 1 : start] in ("#", "=", "[", ".", "/", "-") or text[end : end + 1] in (
        "=",
        "]",
        "-",
    )
    heading = line_text.lstrip().startswith("#")
    if heading or (how == "delete" and (glued or len(EDITABLE_WORD_RE.findall(line_text)) < 2)):
        how = "replace"  # a word put into or taken out of `{#id authority=...}` malforms it
    fresh = draw(st.sampled_from(("zq", "xv", "qz"))) + m.group(0).lower()
    if how == "replace":
        new = text[:start] + fresh + text[end:]
    elif how == "insert":
        new = text[:end] + " " + fresh + text[end:]
    else:
        cut = start - 1 if text[start - 1 : start] == " " else start
        new = text[:cut] + text[end:]
    return WordEdit(new, line, how, m.group(0))


# --- configuration texts, git revisions and cache records (the fuzzer's other inputs) ----

YAML_KEYS = (
    "authority", "levels", "aliases", "parties", "bump", "spec", "version", "scheme",
    "policy_removed", "authority_changed", "root", "user", "? [a, b]", "? {a: 1}", "<<",
)  # fmt: skip
YAML_VALUES = (
    "2025-02-30", "!!float foo", "!!int 0xZZ", "!!omap [{a: 1}, {a: 2}]", "&a [*a]", "*nope",
    "!!binary '@@'", "!!set {a}", "!!timestamp 2025-13-45", "!!python/object:os.system x",
    "null", "~", "[1, 2]", "{x: none}", "none", "major", "'str'", "0x1F", ".inf", "[root, user]",
    "{platform: root}", "semver", "calver", "1.0.0", "!!str", "|\n  text", ">-", "- a\n- b",
    "{? [x]: none}", "!!bool maybe", "!!null x", "[[1]]", "'\\x1b[2J'", '"\\u202e"',
)  # fmt: skip


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    """`.specver.yaml`-like documents: the real keys, nested, with values YAML tags and
    types that a constructor may refuse (impossible dates, bad tagged scalars, aliases)."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = "  " * draw(st.integers(0, 2))
        key = draw(st.sampled_from(YAML_KEYS) | st.text("abc_", min_size=1, max_size=5))
        value = draw(st.sampled_from(YAML_VALUES) | st.just(""))
        lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines) + draw(st.sampled_from(("", "\n", "\n---\nx: 1\n", "\n...\n")))


REV_PARTS = (
    "HEAD", "main", "v1.0.0", "@", "@{yesterday}", "@{1.week.ago}", "@{0}", "@{99}", "@{-1}",
    "@{upstream}", "@{push}", "~", "~1", "~99", "^", "^2", "^{tree}", "^{commit}", "^{/c1}",
    "^{}", ":", ":/c0", "..", "...", "{", "}", "!", "*", "refs/heads/main", "refs/tags/v1.0.0",
    "0" * 40, "deadbeef", "\\", "HEAD@{2025-02-30}", "HEAD@{now}", "~-1", "^-1",
)  # fmt: skip


def revisions() -> st.SearchStrategy[str]:
    """Revision strings: git's syntax in pieces, recombined, and random text."""
    pieces = st.lists(st.sampled_from(REV_PARTS), min_size=1, max_size=4).map("".join)
    return st.one_of(pieces, st.text(max_size=20), st.text("@{}~^:./-HEADmain01", max_size=16))


def json_values() -> st.SearchStrategy[object]:
    """Any JSON value, nested a little."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False),
        st.text(max_size=8),
    )  # fmt: skip
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=6,
    )


def _record_nodes(value: object, out: list[tuple[object, object]]) -> None:
    """(container, key) of every node in a JSON value, in preorder."""
    items: list[tuple[object, object]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, child in items:
        out.append((value, key))
        _record_nodes(child, out)


DELETE = object()
"""A damage step that removes the node instead of replacing it."""


def record_damage() -> st.SearchStrategy[list[tuple[int, object]]]:
    """Damage to a JSON record: which nodes (by preorder index, modulo the count) to replace
    by a value of any type, or to delete."""
    step = st.tuples(st.integers(0, 10**6), st.one_of(json_values(), st.just(DELETE)))
    return st.lists(step, min_size=1, max_size=4)


def damaged(record: object, plan: list[tuple[int, object]]) -> object:
    """A deep copy of `record` with the plan's nodes replaced or deleted; a plan that hits
    the root replaces the whole record."""
    import copy

    record = copy.deepcopy(record)
    for index, value in plan:
        nodes: list[tuple[object, object]] = []
        _record_nodes(record, nodes)
        if not nodes:
            return value if value is not DELETE else None
        container, key = nodes[index % len(nodes)]
        if value is DELETE and isinstance(container, dict):
            del container[key]  # type: ignore[arg-type]
        elif value is DELETE:
            container[key] = None  # type: ignore[index]
        else:
            container[key] = copy.deepcopy(value)  # type: ignore[index]
    return record
