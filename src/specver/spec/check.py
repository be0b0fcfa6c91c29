"""`specver check`: lint a parsed spec against the conventions, as an ordered table of rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from specver.config import AuthorityScheme, Config
from specver.display import BIDI_ESCAPE_RE
from specver.spec.model import Spec


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a spec."""

    code: str
    message: str
    line: int
    policy: str | None = None
    severity: str = "error"
    """`error` fails the check; `warning` is reported but does not."""


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The findings of `specver check` on one spec."""

    spec: Spec
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        """How many findings are errors (warnings do not fail the check)."""
        return sum(f.severity == "error" for f in self.findings)


Rule = Callable[[Spec, AuthorityScheme], Iterator[Finding]]


def _parser_diagnostics(spec: Spec, scheme: AuthorityScheme) -> Iterator[Finding]:
    for d in spec.diagnostics:
        yield Finding(d.code, d.message, d.line, None, d.severity)


def _unknown_authority(spec: Spec, scheme: AuthorityScheme) -> Iterator[Finding]:
    known = ", ".join(scheme.levels)
    for p in spec:
        if p.authority is not None and not scheme.is_known(p.authority):
            yield Finding(
                "unknown_authority",
                f"`{p.id}` has unknown authority `{p.authority}` (known: {known})",
                p.lines[0],
                p.id,
            )


def _missing_references(spec: Spec, scheme: AuthorityScheme) -> Iterator[Finding]:
    for p in spec:
        for ref in p.references:
            if ref.target not in spec:
                yield Finding(
                    "reference_missing",
                    f"`{p.id}` refers to `#{ref.target}`, which no section has",
                    ref.line,
                    p.id,
                )


def _footnotes_without_eval(spec: Spec, scheme: AuthorityScheme) -> Iterator[Finding]:
    if spec.evals is None:
        return
    present = spec.eval_names()
    for p in spec:
        for note in p.footnotes:
            if note not in present:
                yield Finding(
                    "eval_missing",
                    f"`{p.id}` cites [^{note}] but examples/{note}.md does not exist",
                    p.lines[0],
                    p.id,
                )


def _uncited_evals(spec: Spec, scheme: AuthorityScheme) -> Iterator[Finding]:
    if spec.evals is None:
        return
    cited = {note for p in spec for note in p.footnotes}
    for ev in spec.evals:
        if ev.name not in cited:
            yield Finding(
                "eval_uncited",
                f"examples/{ev.name}.md is not cited by any section",
                0,
                None,
                "warning",
            )


def _empty_policies(spec: Spec, scheme: AuthorityScheme) -> Iterator[Finding]:
    for p in spec:
        if p.authority is None:
            continue
        if not (p.prose.strip() or p.examples or p.commentary or spec.children(p.id)):
            yield Finding("empty_policy", f"`{p.id}` has no text", p.lines[0], p.id)


def _examples_without_verdict(spec: Spec, scheme: AuthorityScheme) -> Iterator[Finding]:
    for p in spec:
        for ex in p.examples:
            if ex.titled and not ex.answers:
                # In a section with no authority an unjudged example illustrates a format.
                yield Finding(
                    "example_without_verdict",
                    f"example {ex.title!r} in `{p.id}` judges no answer (no GOOD/BAD/OK)",
                    ex.line,
                    p.id,
                    "error" if p.authority else "warning",
                )


def _bidi_controls(spec: Spec, scheme: AuthorityScheme) -> Iterator[Finding]:
    """Bidirectional controls (shown as `⟨U+202E⟩` by the display sanitizer) reorder what
    a reviewer sees against what a model reads (Trojan Source): flag every policy with one."""
    for p in spec:
        texts = [p.title, p.prose, *(c.text for c in p.commentary)]
        texts += [m.text for ex in p.examples for m in (*ex.messages,)] + [
            ex.title for ex in p.examples
        ]
        found = sorted({m.group(1) for t in texts for m in BIDI_ESCAPE_RE.finditer(t)})
        if found:
            codes = ", ".join(f"U+{code}" for code in found)
            yield Finding(
                "bidi_control",
                f"`{p.id}` holds bidirectional control characters ({codes}), shown as "
                "⟨U+…⟩: they can make text read differently from how it displays",
                p.lines[0],
                p.id,
            )
    for ev in spec.evals or ():
        if BIDI_ESCAPE_RE.search(ev.name + ev.section):
            yield Finding(
                "bidi_control",
                f"eval file {ev.name} holds bidirectional control characters",
                0,
                None,
            )


RULES: tuple[tuple[str, Rule], ...] = (
    ("parser", _parser_diagnostics),
    ("unknown_authority", _unknown_authority),
    ("reference_missing", _missing_references),
    ("eval_missing", _footnotes_without_eval),
    ("eval_uncited", _uncited_evals),
    ("empty_policy", _empty_policies),
    ("example_without_verdict", _examples_without_verdict),
    ("bidi_control", _bidi_controls),
)
"""The lint rules in the order their findings are reported."""


def check_spec(spec: Spec, scheme: AuthorityScheme) -> tuple[Finding, ...]:
    """Every finding of every rule, sorted by line within each rule's group."""
    findings: list[Finding] = []
    for _name, rule in RULES:
        findings.extend(sorted(rule(spec, scheme), key=lambda f: f.line))
    return tuple(findings)


def check(spec: Spec, config: Config | None = None) -> tuple[Finding, ...]:
    """Lint a parsed spec with the authority scheme of `config` (default: the built-in one)."""
    return check_spec(spec, (config or Config()).scheme)
