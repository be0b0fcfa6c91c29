"""The spec model: frozen values produced by parsing and consumed by every later stage."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

VERDICTS = ("GOOD", "BAD", "OK")

PREAMBLE_ID = "_preamble"
"""Reserved id of the section holding the text before the first heading."""
DOCUMENT_ID = "_document"
"""Reserved id of the one section of a document without headings."""
RESERVED_IDS = frozenset({PREAMBLE_ID, DOCUMENT_ID})
"""Ids only specver gives; a heading that declares one is renamed (see `spec.regions`)."""


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The YAML block between `---` lines at the top of a document."""

    text: str
    """The block as written (between the markers), line endings unified."""
    entries: tuple[tuple[str, str], ...] | None
    """Top-level key and value (a string as written, other values as compact JSON), in
    order; None when the block is not a YAML mapping (then it is compared as opaque text)."""
    line: int = 1
    """1-based line of the opening marker."""
    last_line: int = 1
    """1-based line of the closing marker."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement a worked example passes on one candidate answer."""

    label: str
    """GOOD, BAD or OK."""
    reason: str = ""
    """The explanation after the colon, if any."""
    cites: tuple[str, ...] = ()
    """Policy ids cited in brackets, as in `BAD[#chain_of_command]`."""


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a worked example's conversation."""

    role: str
    """system, developer, user, assistant, tool, or another tag the spec uses."""
    text: str
    """The message body with surrounding blank lines removed."""
    attrs: tuple[tuple[str, str], ...] = ()
    """Attributes on the opening tag, such as `name` of a tool or `recipient`."""
    verdict: Verdict | None = None
    """The verdict when the message is a candidate answer."""
    in_comparison: bool = False
    """True when the message sits inside a `<comparison>` group."""


@dataclass(frozen=True, slots=True)
class Example:
    """A worked example: a titled conversation with judged candidate answers."""

    title: str
    """The text after `**Example**:`; derived from the first message when absent."""
    messages: tuple[Message, ...]
    """The conversation in order, candidate answers included."""
    line: int
    """1-based line of the example's opening fence."""
    source: str = ""
    """The fence body exactly as written, for text comparison."""
    titled: bool = True
    """False for an untitled `~~~xml` block (an illustration rather than a judged example)."""

    @property
    def answers(self) -> tuple[Message, ...]:
        """The candidate answers that carry a verdict."""
        return tuple(m for m in self.messages if m.verdict is not None)


@dataclass(frozen=True, slots=True)
class Commentary:
    """A `!!! meta "Commentary"` admonition and its body."""

    title: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Reference:
    """A cross reference to another policy: `[?](#id)` or `[text](#id)`."""

    target: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Policy:
    """One section of the spec with its own content (children excluded)."""

    id: str
    """The `{#id}` attribute, or a slug of the title when the heading has none."""
    title: str
    depth: int
    """Heading level, 1 to 6."""
    parent: str | None
    """Id of the enclosing section, None at the top."""
    authority: str | None
    """The level as written (`root`, `platform`, ...); None for grouping sections."""
    tags: tuple[str, ...] = ()
    prose: str = ""
    """The section's own Markdown text without examples, commentary and children."""
    commentary: tuple[Commentary, ...] = ()
    examples: tuple[Example, ...] = ()
    references: tuple[Reference, ...] = ()
    footnotes: tuple[str, ...] = ()
    """Footnote names in order of first use, e.g. `lie0` for `[^lie0]`."""
    lines: tuple[int, int] = (0, 0)
    """First and last 1-based source line of the section, children excluded."""
    explicit_id: bool = True
    """False when the id was derived from the title."""
    attributes: tuple[tuple[str, str], ...] = ()
    """Every other attribute on the heading, in order."""
    text: str = ""
    """The section's whole region as written (heading line included, children excluded),
    whose words the no-edit-unseen check compares (see `spec.regions`)."""

    @property
    def is_region(self) -> bool:
        """True for the sections specver makes of text outside any heading (`_preamble`,
        `_document`), which have reserved ids."""
        return self.id in RESERVED_IDS


@dataclass(frozen=True, slots=True)
class EvalFile:
    """An eval prompt file `examples/<name>.md` beside the spec."""

    name: str
    section: str
    """The section title named on its first line, or empty."""
    sha256: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something the parser noticed and worked around (shown by `specver check`)."""

    code: str
    message: str
    line: int
    severity: str = "error"
    """`error` or `warning`."""


@dataclass(frozen=True, slots=True)
class Spec:
    """A parsed spec: its policies in document order plus where it came from."""

    source: str
    """How the user named it: a path or `REV:PATH`."""
    sha256: str
    """Digest of the exact bytes read."""
    policies: tuple[Policy, ...]
    preamble: str = ""
    """Prose before the first heading."""
    front_matter: FrontMatter | None = None
    """The YAML front matter, None when the document has none."""
    evals: tuple[EvalFile, ...] | None = None
    """Eval prompt files beside the spec; None when there is no examples folder."""
    diagnostics: tuple[Diagnostic, ...] = ()
    size: int = 0
    """Length of the text in characters."""
    path: str = ""
    """The file the text was read from (PATH of `REV:PATH`); empty for text held in memory."""
    _index: Mapping[str, Policy] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        index = {p.id: p for p in reversed(self.policies)}
        object.__setattr__(self, "_index", MappingProxyType(index))

    def __reduce__(self) -> tuple[type[Spec], tuple[Any, ...]]:
        """Pickle the fields only; the index is rebuilt (it cannot be pickled as a proxy)."""
        fields = (
            self.source,
            self.sha256,
            self.policies,
            self.preamble,
            self.front_matter,
            self.evals,
        )
        return (Spec, (*fields, self.diagnostics, self.size, self.path))

    def __iter__(self) -> Iterator[Policy]:
        return iter(self.policies)

    def __len__(self) -> int:
        return len(self.policies)

    def __contains__(self, policy_id: object) -> bool:
        return policy_id in self._index

    def get(self, policy_id: str) -> Policy | None:
        """The policy with this id, or None."""
        return self._index.get(policy_id)

    def __getitem__(self, policy_id: str) -> Policy:
        return self._index[policy_id]

    def children(self, policy_id: str | None) -> tuple[Policy, ...]:
        """The direct children of a policy (top-level sections for None)."""
        return tuple(p for p in self.policies if p.parent == policy_id)

    def eval_names(self) -> frozenset[str]:
        """Names of the eval files present, empty when there is no examples folder."""
        return frozenset(e.name for e in self.evals or ())


def to_jsonable(value: Any) -> Any:
    """Turn model values into plain JSON-ready data (dicts, lists, scalars)."""
    if hasattr(value, "__dataclass_fields__"):
        return {
            name: to_jsonable(getattr(value, name))
            for name in value.__dataclass_fields__
            if not name.startswith("_")
        }
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


# --- comparison results ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicyPair:
    """An old policy and the new policy it became."""

    old: str
    """Id in the old version."""
    new: str
    """Id in the new version."""
    how: str
    """What paired them: `id`, `title` or `similarity`."""
    similarity: float
    """Content similarity in [0, 1]."""


class ChangeDetails:
    """What one kind of change records: the base of the typed details in `diff/details.py`.

    Each kind has one frozen dataclass deriving from this class; its fields, in order, are
    the kind's fields in the `specver.diff/1` JSON contract, and its class attribute `kind`
    names the kind.
    """

    __slots__ = ()
    kind: ClassVar[str] = ""
    """The change kind these details belong to (`policy_added`, `text_changed`, ...)."""

    @property
    def variant(self) -> str | None:
        """The variant of the kind these details make (`copyedit`, `merged`), if any."""
        return None

    @property
    def policy_title(self) -> str | None:
        """The policy's title as the change records it; None for kinds that record none."""
        title = getattr(self, "title", None)
        return title if isinstance(title, str) else None


@dataclass(frozen=True, slots=True)
class HeadingLines:
    """The 1-based line of a policy's heading in the old and the new version."""

    old: int | None = None
    """None where the policy is not in the old version (or the change names no policy)."""
    new: int | None = None
    """None where the policy is not in the new version (or the change names no policy)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One semantic change between two versions of a spec."""

    policy: str | None
    """Id in the new version (the old id where the policy was removed); None for level renames."""
    details: ChangeDetails
    """The kind's typed details (see `specver.diff.details`)."""
    level: str = "none"
    """Version bump this change calls for: `major`, `minor`, `patch` or `none`."""
    old_lines: tuple[int, int] | None = None
    """First and last 1-based line of what changed in the old version; None without a side."""
    new_lines: tuple[int, int] | None = None
    """First and last 1-based line of what changed in the new version; None without a side."""
    heading_line: HeadingLines = field(default_factory=lambda: HeadingLines())
    """The line of the changed policy's heading in each version."""
    fingerprint: str = ""
    """12 hex digits identifying the change by kind, policy and the words removed and added,
    the same whatever else the document holds (see `classify.fingerprint`)."""
    accepted: str | None = None
    """The reason an accept entry gave for this change; None when no entry accepts it."""

    @property
    def kind(self) -> str:
        """`policy_added`, `authority_changed`, `text_changed`, ... (see `diff.kinds.KINDS`)."""
        return self.details.kind


class PairedChanges:
    """What every comparison result offers: id lookups through its pairs and a summary.

    Subclasses are frozen dataclasses with `pairs`, `changes`, `_forward` and `_backward`.
    """

    __slots__ = ()
    pairs: tuple[PolicyPair, ...]
    changes: tuple[Change, ...]
    _forward: Mapping[str, str]
    _backward: Mapping[str, str]

    def _index_pairs(self) -> None:
        object.__setattr__(self, "_forward", MappingProxyType({p.old: p.new for p in self.pairs}))
        object.__setattr__(self, "_backward", MappingProxyType({p.new: p.old for p in self.pairs}))

    @property
    def summary(self) -> dict[str, int]:
        """Count of changes per kind, in order of first appearance."""
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change.kind] = counts.get(change.kind, 0) + 1
        return counts

    def new_id(self, old_id: str) -> str | None:
        """The id an old policy has in the new version, None when it was removed."""
        return self._forward.get(old_id)

    def old_id(self, new_id: str) -> str | None:
        """The id a new policy had in the old version, None when it was added."""
        return self._backward.get(new_id)


@dataclass(frozen=True, slots=True)
class SpecDiff(PairedChanges):
    """Everything one comparison found: both specs, the pairing, the changes and the bump."""

    old: Spec
    new: Spec
    pairs: tuple[PolicyPair, ...]
    changes: tuple[Change, ...]
    bump: str
    """The highest level among the changes, or `none`."""
    _forward: Mapping[str, str] = field(init=False, repr=False, compare=False, default_factory=dict)
    _backward: Mapping[str, str] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._index_pairs()

    def changes_for(self, policy_id: str) -> tuple[Change, ...]:
        """The changes that name this policy."""
        return tuple(c for c in self.changes if c.policy == policy_id)
