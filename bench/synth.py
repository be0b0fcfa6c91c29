"""Synthetic Model Spec-style documents for the benchmark, deterministic by seed.

A generated spec has the shape of the real ones: `#` parts and `##` grouping sections with
ids, `###` policies with `{#id authority=...}` attributes, prose with normative words, cross
references and footnotes, `!!! meta "Commentary"` blocks, and `**Example**:` titles over
`~~~xml` conversations whose candidate answers carry GOOD/BAD verdicts. Every word comes
from the vocabulary below, written for this project.

`synth_pair(scale, seed)` gives an old and a new version in which about 10% of policies are
changed in each way the diff reports: edited, renamed, moved, authority changed, added and
removed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from pathlib import Path

POLICIES_PER_SCALE = 80
"""Policies in the 1x spec, about as many as a real Model Spec release."""
CHANGE_SHARE = 0.10
"""Share of policies changed in each way (edit, rename, move, authority, add, remove)."""
GENERATOR_VERSION = 1
"""Bumped whenever the output changes, so cached files are regenerated."""

WORDS = [
    "assistant",
    "answer",
    "request",
    "reply",
    "person",
    "tool",
    "context",
    "message",
    "account",
    "record",
    "detail",
    "summary",
    "draft",
    "review",
    "topic",
    "question",
    "reason",
    "option",
    "signal",
    "limit",
    "scope",
    "format",
    "channel",
    "setting",
    "profile",
    "source",
    "output",
    "input",
    "schedule",
    "result",
    "outline",
    "note",
    "plan",
    "step",
    "task",
    "goal",
    "harm",
    "risk",
    "safety",
    "privacy",
    "trust",
    "clarity",
    "honesty",
    "accuracy",
    "fairness",
    "balance",
    "judgment",
    "intent",
    "preference",
    "boundary",
    "instruction",
    "guidance",
    "default",
    "behaviour",
    "example",
    "case",
    "purpose",
    "style",
    "tone",
    "length",
    "language",
    "reader",
    "writer",
    "operator",
    "platform",
    "product",
    "feature",
    "service",
    "workflow",
    "document",
    "report",
    "table",
    "list",
    "chart",
    "budget",
    "invoice",
    "recipe",
    "garden",
    "river",
    "window",
    "lantern",
    "harbor",
    "meadow",
    "ladder",
    "compass",
    "pebble",
    "orchard",
    "canvas",
    "thread",
    "kettle",
    "quietly",
    "carefully",
    "briefly",
    "openly",
    "plainly",
    "gently",
    "clearly",
    "directly",
    "fully",
    "rarely",
    "often",
    "helpful",
    "careful",
    "neutral",
    "specific",
    "general",
    "private",
    "public",
    "sensitive",
    "useful",
    "relevant",
    "accurate",
    "complete",
    "partial",
    "simple",
    "complex",
    "early",
    "late",
    "broad",
    "narrow",
    "formal",
    "casual",
    "explain",
    "describe",
    "confirm",
    "refuse",
    "decline",
    "suggest",
    "offer",
    "follow",
    "respect",
    "consider",
    "provide",
    "include",
    "mention",
    "share",
    "keep",
    "check",
    "verify",
    "cite",
    "flag",
    "note",
    "prefer",
    "support",
    "protect",
    "reveal",
    "hide",
    "adjust",
    "change",
    "update",
    "read",
    "write",
    "answer",
    "ask",
    "wait",
    "continue",
]
SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "fa",
    "fe",
    "fi",
    "fo",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "pa",
    "pe",
    "pi",
    "po",
    "pu",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "su",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
    "va",
    "ve",
    "vi",
    "vo",
    "zo",
]
FUNCTION_WORDS = [
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "for",
    "with",
    "on",
    "by",
    "from",
    "about",
    "when",
    "if",
    "that",
    "this",
    "it",
    "its",
    "their",
    "they",
    "them",
    "and",
    "or",
    "but",
    "not",
    "as",
    "at",
    "be",
    "is",
    "are",
    "was",
    "any",
    "each",
    "other",
    "more",
    "most",
    "only",
    "such",
    "than",
]
MODALS = ("must", "must not", "should", "should not", "may", "never", "always", "can")
VOCABULARY = tuple(
    a + b + c for a in SYLLABLES[::2] for b in SYLLABLES[1::3] for c in ("", "n", "r", "l", "s")
)
"""Made-up content words (a few thousand), so unrelated policies share few words."""
LEVELS = ("root", "system", "developer", "user", "guideline")
LEVEL_WEIGHTS = (26, 4, 2, 20, 24)


@dataclass
class Example:
    """A worked example: title, conversation turns and judged answers."""

    title: str
    developer: str
    user: str
    answers: list[tuple[str, str]]
    """(verdict comment, answer text) pairs."""


@dataclass
class Policy:
    """One generated policy section."""

    id: str
    title: str
    parent: str
    authority: str
    paragraphs: list[str]
    commentary: str
    examples: list[Example] = field(default_factory=list)


@dataclass
class Section:
    """A grouping section (`##`) under a part (`#`)."""

    id: str
    title: str
    part: str


@dataclass
class Document:
    """A whole generated spec before rendering."""

    parts: list[tuple[str, str]]
    sections: list[Section]
    policies: list[Policy]


class _Writer:
    """Random words, sentences and paragraphs from the vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def word(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return rng.choice(FUNCTION_WORDS)
        if roll < 0.6:
            return rng.choice(WORDS)
        return rng.choice(VOCABULARY)

    def words(self, low: int, high: int) -> str:
        return " ".join(self.word() for _ in range(self.rng.randint(low, high)))

    def title(self) -> str:
        return self.words(2, 5).capitalize()

    def sentence(self, refs: list[str]) -> str:
        rng = self.rng
        body = f"The assistant {rng.choice(MODALS)} {self.words(6, 18)}"
        if rng.random() < 0.15:
            body += f", unless {self.words(4, 9)}"
        if refs and rng.random() < 0.12:
            body += f" (see [?](#{rng.choice(refs)}))"
        if rng.random() < 0.05:
            body += f"[^{self.footnote()}]"
        return body + "."

    def footnote(self) -> str:
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(4))

    def paragraph(self, refs: list[str]) -> str:
        text = " ".join(self.sentence(refs) for _ in range(self.rng.randint(2, 5)))
        if self.rng.random() < 0.2:
            items = "\n".join(f"- {self.sentence(refs)}" for _ in range(self.rng.randint(2, 4)))
            text = f"{text}\n\n{items}"
        return text

    def example(self) -> Example:
        rng = self.rng
        answers = []
        for k in range(rng.randint(1, 3)):
            verdict = "GOOD" if k == 0 else rng.choice(("BAD", "BAD: " + self.words(3, 8)))
            answers.append((verdict, " ".join(self.sentence([]) for _ in range(rng.randint(1, 5)))))
        return Example(
            title=self.words(3, 8).capitalize(),
            developer=self.words(8, 30).capitalize() + "." if rng.random() < 0.4 else "",
            user=self.words(6, 40).capitalize() + "?",
            answers=answers,
        )


def generate(policies: int, seed: int) -> Document:
    """A spec with about `policies` policies, grouped 8 to a section and 6 sections a part."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    parts: list[tuple[str, str]] = []
    sections: list[Section] = []
    out: list[Policy] = []
    ids = [f"policy_{k}" for k in range(policies)]
    for k in range(policies):
        if k % 48 == 0:
            parts.append((f"part_{len(parts)}", writer.title()))
        if k % 8 == 0:
            sections.append(Section(f"section_{len(sections)}", writer.title(), parts[-1][0]))
        out.append(_policy(writer, ids[k], sections[-1].id, ids))
    return Document(parts, sections, out)


def _policy(writer: _Writer, ident: str, parent: str, refs: list[str]) -> Policy:
    rng = writer.rng
    return Policy(
        id=ident,
        title=writer.title(),
        parent=parent,
        authority=rng.choices(LEVELS, LEVEL_WEIGHTS)[0],
        paragraphs=[writer.paragraph(refs) for _ in range(rng.randint(2, 4))],
        commentary=writer.paragraph([]) if rng.random() < 0.2 else "",
        examples=[writer.example() for _ in range(rng.choice((0, 1, 2, 2, 3, 4)))],
    )


def mutate(doc: Document, seed: int) -> Document:
    """The next version: about `CHANGE_SHARE` of policies changed in each way."""
    rng = random.Random(seed + 1)
    writer = _Writer(rng)
    n = len(doc.policies)
    chosen = rng.sample(range(n), min(n, 5 * max(1, round(n * CHANGE_SHARE))))
    share = len(chosen) // 5
    edit, rename, move, level, remove = (set(chosen[k * share : (k + 1) * share]) for k in range(5))
    ids = [p.id for p in doc.policies]
    policies: list[Policy] = []
    for k, p in enumerate(doc.policies):
        if k in remove:
            continue
        q = replace(p, paragraphs=list(p.paragraphs), examples=list(p.examples))
        if k in edit:
            _edit(writer, q)
        if k in rename:
            q.id = f"{p.id}_renamed"
        if k in move:
            q.parent = rng.choice(doc.sections).id
        if k in level:
            q.authority = rng.choice([lv for lv in LEVELS if lv != p.authority])
        policies.append(q)
    for k in range(share):
        at = rng.randrange(len(policies) + 1)
        parent = policies[min(at, len(policies) - 1)].parent
        policies.insert(at, _policy(writer, f"added_{k}", parent, ids))
    return Document(doc.parts, doc.sections, policies)


def _edit(writer: _Writer, policy: Policy) -> None:
    """Reword one sentence's rule, add a sentence, or reverse one example's verdicts."""
    rng = writer.rng
    k = rng.randrange(len(policy.paragraphs))
    choice = rng.random()
    if choice < 0.4:
        text = policy.paragraphs[k]
        for old, new in (("must", "should"), ("should", "must"), ("may", "must not")):
            if f" {old} " in text:
                policy.paragraphs[k] = text.replace(f" {old} ", f" {new} ", 1)
                return
    if choice < 0.8 or not policy.examples:
        policy.paragraphs[k] += " " + writer.sentence([])
        return
    e = rng.randrange(len(policy.examples))
    ex = policy.examples[e]
    flipped = [("BAD" if v == "GOOD" else "GOOD", text) for v, text in ex.answers]
    policy.examples[e] = replace(ex, answers=flipped)


def render(doc: Document) -> str:
    """The Markdown text of a generated spec."""
    out = [
        "# Synthetic behaviour specification\n",
        "This document is generated for the specver benchmark; its words are random.\n",
    ]
    by_section: dict[str, list[Policy]] = {}
    for p in doc.policies:
        by_section.setdefault(p.parent, []).append(p)
    for part_id, part_title in doc.parts:
        out.append(f"# {part_title} {{#{part_id}}}\n")
        for section in doc.sections:
            if section.part != part_id:
                continue
            out.append(f"## {section.title} {{#{section.id}}}\n")
            out.extend(_render_policy(p) for p in by_section.get(section.id, ()))
    return "\n".join(out)


def _render_policy(p: Policy) -> str:
    parts = [f"### {p.title} {{#{p.id} authority={p.authority}}}\n"]
    parts.extend(f"{para}\n" for para in p.paragraphs)
    if p.commentary:
        body = "\n".join(f"    {line}" if line else "" for line in p.commentary.split("\n"))
        parts.append(f'!!! meta "Commentary"\n{body}\n')
    for ex in p.examples:
        parts.append(_render_example(ex))
    return "\n".join(parts)


def _render_example(ex: Example) -> str:
    lines = [f"**Example**: {ex.title}\n", "~~~xml"]
    if ex.developer:
        lines.append(f"<developer>\n{ex.developer}\n</developer>\n")
    lines.append(f"<user>\n{ex.user}\n</user>\n")
    lines.append("<comparison>")
    for verdict, text in ex.answers:
        lines.append(f"<assistant><!-- {verdict} -->\n{text}\n</assistant>\n")
    lines.append("</comparison>\n~~~\n")
    return "\n".join(lines)


def synth_pair(scale: int, seed: int = 6) -> tuple[str, str]:
    """Old and new text of a generated spec pair at `scale` times the real spec's size."""
    doc = generate(POLICIES_PER_SCALE * scale, seed)
    return render(doc), render(mutate(doc, seed))


def pair_paths(scale: int, folder: Path, seed: int = 6) -> tuple[Path, Path]:
    """Where the generated pair for `scale` and `seed` lives under `folder`."""
    base = folder / f"synth-v{GENERATOR_VERSION}-seed{seed}-{scale}x"
    return base / "old" / "spec.md", base / "new" / "spec.md"


def write_pair(scale: int, folder: Path, seed: int = 6) -> tuple[Path, Path]:
    """Write (or reuse) the generated pair under `folder`; returns the old and new paths."""
    old, new = pair_paths(scale, folder, seed)
    if not (old.is_file() and new.is_file()):
        old_text, new_text = synth_pair(scale, seed)
        for path, text in ((old, old_text), (new, new_text)):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    return old, new


if __name__ == "__main__":
    import sys

    for path in write_pair(int(sys.argv[1]), Path(sys.argv[2])):
        sys.stdout.write(f"{path}\n")
