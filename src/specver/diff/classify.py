"""Turn paired policies into semantic changes: an ordered table of rules.

Each rule reads the comparison context and yields changes of one family, each carrying its
kind's typed details (`diff/details.py`). The table of kinds (`diff/kinds.py`) says which
version bump each kind (or `kind.variant`) calls for; `.specver.yaml` may override it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from specver.config import BUMP_LEVELS, AuthorityScheme
from specver.diff.details import (
    AuthorityChanged,
    AuthorityLevelRenamed,
    CommentaryChanged,
    ExampleAdded,
    ExampleChanged,
    ExampleMoved,
    ExampleRemoved,
    ExampleVerdictChanged,
    MetadataChanged,
    OtherTextChanged,
    PolicyAdded,
    PolicyMoved,
    PolicyRemoved,
    PolicyRenamed,
    PolicyRetitled,
    RationaleChange,
    ReferenceBroken,
    TagsChanged,
    TextChanged,
    VerdictFlip,
)
from specver.diff.kinds import change_level
from specver.diff.match import similar_pairs
from specver.diff.normative import DEFAULT_VOCABULARY, Vocabulary, policy_rules
from specver.diff.textdiff import (
    align,
    is_copyedit,
    normalize,
    one_line,
    redline,
    similarity,
    words_changed,
)
from specver.perf import without_gc_pauses
from specver.spec.model import (
    RESERVED_IDS,
    Change,
    Example,
    FrontMatter,
    HeadingLines,
    Message,
    Policy,
    PolicyPair,
    Spec,
)
from specver.spec.regions import OPAQUE_KEY

EXAMPLE_MOVE_THRESHOLD = 0.8
"""Similarity at which a worked example that left one policy and arrived in another moved."""
EXAMPLE_MATCH_THRESHOLD = 0.6
"""Similarity at which two examples of one policy are taken as versions of each other."""
ANSWER_MATCH_THRESHOLD = 0.6


@dataclass(slots=True)
class Context:
    """What every rule may read: both specs, the pairing and the authority scheme."""

    old: Spec
    new: Spec
    pairs: tuple[PolicyPair, ...]
    scheme: AuthorityScheme
    forward: dict[str, str] = field(default_factory=dict)
    backward: dict[str, str] = field(default_factory=dict)
    old_children: dict[str | None, list[Policy]] = field(default_factory=dict)
    """Old policies by parent id, in document order (one pass instead of one per lookup)."""
    example_moves: list[_ExampleMove] | None = None
    """Worked examples that moved between policies, computed once on first use."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Old id -> new id of the pairs whose id changed."""
    vocabulary: Vocabulary = DEFAULT_VOCABULARY
    """The words the normative model reads rules with."""
    reported: set[str] = field(default_factory=set)
    located_examples: dict[tuple[str, str], _LocatedExamples] = field(default_factory=dict)
    """Each policy pair's worked examples by title, as `located` looks them up (built once
    per pair, so locating many example changes stays linear)."""
    """Ids (old and new) of the policies the changes found so far name."""
    _paired: list[tuple[Policy, Policy, PolicyPair]] | None = None
    _changed: list[tuple[Policy, Policy, PolicyPair]] | None = None

    def __post_init__(self) -> None:
        self.forward = {p.old: p.new for p in self.pairs}
        self.backward = {p.new: p.old for p in self.pairs}
        self.renamed = {p.old: p.new for p in self.pairs if p.old != p.new}
        self.old_children = defaultdict(list)
        for p in self.old:
            self.old_children[p.parent].append(p)

    def paired(self) -> Iterator[tuple[Policy, Policy, PolicyPair]]:
        """Old and new policy of each pair, in the new document's order."""
        if self._paired is None:
            by_new = {p.new: p for p in self.pairs}
            self._paired = [
                (self.old[pair.old], q, pair)
                for q in self.new
                if (pair := by_new.get(q.id)) is not None
            ]
        return iter(self._paired)

    def changed(self) -> Iterator[tuple[Policy, Policy, PolicyPair]]:
        """The pairs a rule that reads one pair's own text can find a change in, in the new
        document's order: every pair when an id changed (links and citations then follow
        renames), else the pairs whose two policies are not the same text (`same_text`).

        A pair of the same text yields nothing from `renamed`, `retitled`, `tags`, `text`,
        `commentary`, `examples` (and `example_moves`) or `other_text`: each of them first
        compares exactly what `same_text` compares and skips the pair when it is equal. So
        a walk of a long history, where almost every pair is a section nobody edited,
        classifies only the sections that changed, with the result of classifying them all.
        """
        if self._changed is None:
            every = list(self.paired())
            self._changed = (
                every if self.renamed else [t for t in every if not same_text(t[0], t[1])]
            )
        return iter(self._changed)

    def following_renames(self, text: str) -> str:
        """Old text with `](#old_id)` links pointed at the ids their targets have now.

        A link that only follows its target's rename is not a change of the text.
        """
        if not self.renamed or "](#" not in text:
            return text
        return ANCHOR_RE.sub(lambda m: f"](#{self.renamed.get(m.group(1), m.group(1))})", text)

    @property
    def removed(self) -> list[Policy]:
        return [p for p in self.old if p.id not in self.forward]

    @property
    def added(self) -> list[Policy]:
        return [q for q in self.new if q.id not in self.backward]


ANCHOR_RE = re.compile(r"\]\(#([^)\s]{1,200})\)")
"""The target of a Markdown link to a section: `](#id)`."""


# --- rules -------------------------------------------------------------------------------


def added_and_removed(ctx: Context) -> Iterator[Change]:
    """`policy_added` and `policy_removed`, the latter with `merged_into` when it applies."""
    for q in ctx.added:
        yield Change(q.id, PolicyAdded(q.title, q.authority, q.parent))
    destinations = _example_destinations(ctx)
    for p in ctx.removed:
        into = _merged_into(ctx, p, destinations.get(p.id, set()))
        yield Change(p.id, PolicyRemoved(p.title, p.authority, into))


def _merged_into(ctx: Context, p: Policy, example_homes: set[str]) -> str | None:
    """The one section that took in a removed section's surviving children or examples."""
    homes = {
        ctx.new[ctx.forward[c.id]].parent
        for c in ctx.old_children.get(p.id, ())
        if c.id in ctx.forward
    }
    if len(homes) == 1:
        (home,) = homes
        if home is not None:
            return home
    if not homes and len(example_homes) == 1 and len(p.examples) > 0:
        return next(iter(example_homes))
    return None


def _example_destinations(ctx: Context) -> dict[str, set[str]]:
    """Removed policy id -> new policies that received its worked examples."""
    moves = example_moves(ctx)
    out: dict[str, set[str]] = defaultdict(set)
    for move in moves:
        out[move.source_policy].add(move.target_policy)
    return out


def renamed(ctx: Context) -> Iterator[Change]:
    """`policy_renamed` where the id changed (`policy_retitled` where the id was a slug)."""
    for p, q, pair in ctx.changed():
        if p.id == q.id:
            continue
        if not p.explicit_id and not q.explicit_id:
            yield Change(q.id, PolicyRetitled(p.title, q.title, q.title))
            continue
        yield Change(
            q.id,
            PolicyRenamed(p.id, q.id, p.title, q.title, q.title, pair.similarity, pair.how),
        )


def retitled(ctx: Context) -> Iterator[Change]:
    """`policy_retitled`: same id, a new title."""
    for p, q, _pair in ctx.changed():
        if p.id == q.id and p.title != q.title:
            yield Change(q.id, PolicyRetitled(p.title, q.title, q.title))


_GONE = "\x00removed"
"""Stands for a parent section that the new version no longer has."""


def moved(ctx: Context) -> Iterator[Change]:
    """`policy_moved`: the section now sits under another parent."""
    for p, q, _pair in ctx.paired():
        # The old parent as it is now: None at the top level, a sentinel when it was removed,
        # so leaving a removed section mirrors entering an added one.
        expected = ctx.forward.get(p.parent, _GONE) if p.parent is not None else None
        if expected != q.parent:
            yield Change(q.id, PolicyMoved(p.parent, q.parent, q.title))


def authority(ctx: Context) -> Iterator[Change]:
    """`authority_level_renamed` for whole levels, `authority_changed` for the rest."""
    transitions: dict[tuple[str | None, str | None], list[str]] = defaultdict(list)
    for p, q, _pair in ctx.paired():
        if p.authority != q.authority:
            transitions[(p.authority, q.authority)].append(q.id)
    renames = _level_renames(ctx, transitions)
    for (old_level, new_level), ids in renames.items():
        yield Change(None, AuthorityLevelRenamed(old_level, new_level, tuple(ids)))
    for p, q, _pair in ctx.paired():
        if p.authority == q.authority or (p.authority, q.authority) in renames:
            continue
        direction = _direction(ctx.scheme, p.authority, q.authority)
        yield Change(q.id, AuthorityChanged(p.authority, q.authority, direction, q.title))


def _level_renames(
    ctx: Context, transitions: Mapping[tuple[str | None, str | None], list[str]]
) -> dict[tuple[str, str], list[str]]:
    """Transitions X -> Y that read as a renamed level rather than policy-by-policy changes.

    X -> Y is a rename when the scheme calls one of them a former name of the other (going
    back to a former name is a rename too). For levels the scheme does not know as two
    distinct levels, it is also a rename when X is gone from the new version, Y was absent
    from the old one, most (and at least two) of X's paired policies went to Y and most of
    Y's came from X. Both readings are symmetric, so swapping the versions mirrors them.
    Moving policies between two levels the scheme orders is never a rename: that is a
    change of authority.
    """
    scheme = ctx.scheme
    old_levels = {p.authority for p in ctx.old if p.authority}
    new_levels = {q.authority for q in ctx.new if q.authority}
    from_level: Counter[str] = Counter()
    to_level: Counter[str] = Counter()
    for p, q, _pair in ctx.paired():
        if p.authority:
            from_level[p.authority] += 1
        if q.authority:
            to_level[q.authority] += 1
    out: dict[tuple[str, str], list[str]] = {}
    for (x, y), ids in transitions.items():
        if x is None or y is None:
            continue
        if scheme.former_name_of(x, y) or scheme.former_name_of(y, x):
            out[(x, y)] = ids
            continue
        both_known = scheme.is_known(x) and scheme.is_known(y)
        vanished = x not in new_levels and y not in old_levels
        most = len(ids) * 2 > max(from_level[x], to_level[y]) and len(ids) >= 2
        if vanished and most and not both_known:
            out[(x, y)] = ids
    return out


def _direction(scheme: AuthorityScheme, old: str | None, new: str | None) -> str:
    if old is None:
        return "set"
    if new is None:
        return "cleared"
    a, b = scheme.rank(old), scheme.rank(new)
    if a is None or b is None or a == b:
        return "changed"
    return "raised" if b < a else "lowered"


def tags(ctx: Context) -> Iterator[Change]:
    """`tags_changed`, with the tags added and removed."""
    for p, q, _pair in ctx.changed():
        old, new = set(p.tags), set(q.tags)  # sets: linear in the number of tags
        if old != new:
            added = tuple(t for t in q.tags if t not in old)
            removed = tuple(t for t in p.tags if t not in new)
            yield Change(q.id, TagsChanged(added, removed, q.title))


def text(ctx: Context) -> Iterator[Change]:
    """`text_changed`: copy edit or substantive, its words changed and similarity, and what it
    did to the rules (`verdict`, and the changed statements as `normative`)."""
    for p, q, _pair in ctx.changed():
        before = ctx.following_renames(p.prose)
        if before == q.prose or " ".join(before.split()) == " ".join(q.prose.split()):
            continue
        rules = policy_rules(before, q.prose, ctx.vocabulary)
        copyedit = rules.verdict == "unchanged" and is_copyedit(before, q.prose)
        yield Change(
            q.id,
            TextChanged(
                "copyedit" if copyedit else "substantive",
                similarity(p.prose, q.prose),
                words_changed(before, q.prose),
                rules.verdict,
                () if copyedit else rules.changes,
                q.title,
            ),
        )


def commentary(ctx: Context) -> Iterator[Change]:
    """`commentary_changed`: commentary blocks added, removed or edited."""
    for p, q, _pair in ctx.changed():
        if [c.text for c in p.commentary] == [c.text for c in q.commentary]:
            continue
        before = [one_line(ctx.following_renames(c.text)) for c in p.commentary]
        after = [one_line(c.text) for c in q.commentary]
        if before == after:
            continue
        yield Change(q.id, CommentaryChanged(len(before), len(after), q.title))


# --- worked examples ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ExampleMove:
    source_policy: str
    """Old id of the policy the example left."""
    target_policy: str
    """New id of the policy it arrived in."""
    old: Example
    new: Example
    similarity: float


def _example_key(ex: Example) -> str:
    return normalize(ex.source)


def _conversation(
    ex: Example, renamed: Mapping[str, str] | None = None
) -> tuple[tuple[str, str], ...]:
    """Each message's role and normalized text, links to renamed sections followed."""
    return tuple((m.role, normalize(_follow(m.text, renamed or {}))) for m in ex.messages)


def _pair_examples(
    before: tuple[Example, ...], after: tuple[Example, ...]
) -> tuple[list[tuple[Example, Example]], list[Example], list[Example]]:
    """Pair one policy's examples by title, then by content; return pairs and leftovers."""
    if _same_examples(before, after):
        return list(zip(before, after, strict=True)), [], []
    pairs: list[tuple[Example, Example]] = []
    titles_b: dict[str, deque[int]] = defaultdict(deque)
    for k, ex in enumerate(after):
        titles_b[normalize(ex.title)].append(k)
    paired_b: set[int] = set()
    left_a = []
    for ex in before:  # by title: a queue per title, so linear in the number of examples
        same = titles_b.get(normalize(ex.title))
        if same:
            k = same.popleft()
            pairs.append((ex, after[k]))
            paired_b.add(k)
        else:
            left_a.append(ex)
    left_b = [ex for k, ex in enumerate(after) if k not in paired_b]
    found = similar_pairs(
        [_example_key(e) for e in left_a],
        [_example_key(e) for e in left_b],
        EXAMPLE_MATCH_THRESHOLD,
    )
    for i, j, _s in found:
        pairs.append((left_a[i], left_b[j]))
    taken_a = {i for i, _j, _s in found}
    taken_b = {j for _i, j, _s in found}
    rest_a = [e for k, e in enumerate(left_a) if k not in taken_a]
    rest_b = [e for k, e in enumerate(left_b) if k not in taken_b]
    return pairs, rest_a, rest_b


def same_text(p: Policy, q: Policy) -> bool:
    """Whether two versions of a policy are the same text in all that the rules of one pair
    read: id, title, tags, prose, commentary, worked examples and the whole region as
    written (its lines and parent only place it; the rules that read those run on every
    pair). Unchanged sections of a walk are the same objects, so this is an identity test.
    """
    if p is q:
        return True
    return (
        p.text == q.text
        and p.id == q.id
        and p.title == q.title
        and p.tags == q.tags
        and p.prose == q.prose
        and len(p.commentary) == len(q.commentary)
        and all(a.text == b.text for a, b in zip(p.commentary, q.commentary, strict=True))
        and _same_examples(p.examples, q.examples)
    )


def _same_examples(before: tuple[Example, ...], after: tuple[Example, ...]) -> bool:
    """Whether two policies' examples are the same titles and bodies in the same order.

    Pairing such lists by title pairs them position by position, and comparing such pairs
    finds nothing, so callers skip that work (most policies of two releases are unchanged).
    """
    return len(before) == len(after) and all(
        a.source == b.source and a.title == b.title for a, b in zip(before, after, strict=True)
    )


def example_moves(ctx: Context) -> list[_ExampleMove]:
    """Examples that left one policy and arrived, (nearly) unchanged, in another (cached)."""
    if ctx.example_moves is None:
        ctx.example_moves = _example_moves(ctx)
    return ctx.example_moves


def _example_moves(ctx: Context) -> list[_ExampleMove]:
    """Examples that left one policy and arrived, (nearly) unchanged, in another."""
    gone: list[tuple[str, Example]] = []
    arrived: list[tuple[str, Example]] = []
    for p, q, _pair in ctx.changed():
        if _same_examples(p.examples, q.examples):
            continue
        _pairs, rest_a, rest_b = _pair_examples(p.examples, q.examples)
        gone.extend((p.id, e) for e in rest_a)
        arrived.extend((q.id, e) for e in rest_b)
    gone.extend((p.id, e) for p in ctx.removed for e in p.examples)
    arrived.extend((q.id, e) for q in ctx.added for e in q.examples)
    found = similar_pairs(
        [_example_key(e) for _pid, e in gone],
        [_example_key(e) for _pid, e in arrived],
        EXAMPLE_MOVE_THRESHOLD,
    )
    moves = []
    for i, j, score in found:
        (source, old), (target, new) = gone[i], arrived[j]
        if ctx.forward.get(source) != target:
            moves.append(_ExampleMove(source, target, old, new, score))
    return moves


def examples(ctx: Context) -> Iterator[Change]:
    """Worked examples added, removed, changed, moved, and verdicts reversed."""
    moves = example_moves(ctx)
    moved_out = {(m.source_policy, id(m.old)) for m in moves}
    moved_in = {(m.target_policy, id(m.new)) for m in moves}
    for p, q, _pair in ctx.changed():
        if _same_examples(p.examples, q.examples):
            continue
        pairs, rest_a, rest_b = _pair_examples(p.examples, q.examples)
        for a, b in pairs:
            if a.source != b.source or a.title != b.title:
                yield from _compare_examples(q, a, b, renamed=ctx.renamed)
        for a in rest_a:
            if (p.id, id(a)) not in moved_out:
                yield Change(q.id, ExampleRemoved(a.title, q.title))
        for b in rest_b:
            if (q.id, id(b)) not in moved_in:
                yield Change(q.id, ExampleAdded(b.title, q.title))
    for move in moves:
        source_now = ctx.forward.get(move.source_policy, move.source_policy)
        target = ctx.new[move.target_policy]
        yield Change(
            target.id,
            ExampleMoved(move.new.title, source_now, move.similarity, target.title),
        )
        yield from _compare_examples(target, move.old, move.new, moved=True, renamed=ctx.renamed)


def _compare_examples(
    policy: Policy,
    a: Example,
    b: Example,
    *,
    moved: bool = False,
    renamed: Mapping[str, str] | None = None,
) -> Iterator[Change]:
    """Verdicts reversed in an example of `policy` (new version), and the example changed:
    its conversation, a verdict to or from OK, a verdict's reason or citations, its title,
    or any other word of its text (whitespace aside, cited ids following renames)."""
    renamed = renamed or {}
    flips = list(_verdict_flips(a, b))
    reversed_ = tuple(f for f in flips if {f.old, f.new} == {"GOOD", "BAD"})
    if reversed_:
        yield Change(policy.id, ExampleVerdictChanged(b.title, reversed_, policy.title))
    turned = {f.answer for f in reversed_}
    rationales = tuple(r for r in _rationale_changes(a, b, renamed) if r.answer not in turned)
    other_verdicts = len(flips) > len(reversed_)
    changed = (
        rationales
        or other_verdicts
        or (a.title != b.title and (a.titled or b.titled))
        or _conversation(a, renamed) != _conversation(b)
        or _wording(a, renamed) != _wording(b, {})
    )
    if changed and not moved:
        score = similarity(a.source, b.source)
        details = ExampleChanged(b.title, a.title, score, other_verdicts, policy.title, rationales)
        yield Change(policy.id, details)


VERDICT_COMMENT_RE = re.compile(r"<!--\s*(?:GOOD|BAD|OK)\b.*?-->", re.IGNORECASE | re.DOTALL)
"""A verdict comment: its label, citations and reason are compared answer by answer."""


def _wording(ex: Example, renamed: Mapping[str, str]) -> str:
    """An example's whole text, whitespace collapsed, links to renamed sections pointed at
    their new ids and verdict comments left out (the verdicts are compared on their own,
    with cited ids following renames)."""
    text = ex.source
    if "<!--" in text:
        text = VERDICT_COMMENT_RE.sub(" ", text)
    return one_line(_follow(text, renamed))


def _follow(text: str, renamed: Mapping[str, str]) -> str:
    """Text with `](#old_id)` links pointed at the ids their targets have now."""
    if not renamed or "](#" not in text:
        return text
    return ANCHOR_RE.sub(lambda m: f"](#{renamed.get(m.group(1), m.group(1))})", text)


def _rationale_changes(
    a: Example, b: Example, renamed: Mapping[str, str]
) -> Iterator[RationaleChange]:
    """Answers present in both versions whose verdict reason or cited policies changed."""
    for x, y in _paired_answers(a, b):
        assert x.verdict is not None and y.verdict is not None
        cites = tuple(renamed.get(c, c) for c in x.verdict.cites)
        old, new = one_line(x.verdict.reason), one_line(y.verdict.reason)
        if old != new or cites != y.verdict.cites:
            yield RationaleChange(_excerpt(y.text), old, new, cites, y.verdict.cites)


def _excerpt(text: str) -> str:
    """An answer's text on one line, cut to 100 characters."""
    excerpt = one_line(text)
    return excerpt if len(excerpt) <= 100 else excerpt[:97] + "..."


def _verdict_flips(a: Example, b: Example) -> Iterator[VerdictFlip]:
    """Answers present in both versions whose verdict label differs."""
    for x, y in _paired_answers(a, b):
        assert x.verdict is not None and y.verdict is not None
        if x.verdict.label != y.verdict.label:
            yield VerdictFlip(_excerpt(y.text), x.verdict.label, y.verdict.label)


def _paired_answers(a: Example, b: Example) -> Iterator[tuple[Message, Message]]:
    """The candidate answers of two versions of an example, paired.

    Answers are paired best-first over the whole example (identical text first, then the
    most similar, ties going to the same position), so near-identical answers that differ
    in one word are not crossed.
    """
    before, after = a.answers, b.answers
    for i, j in _answer_pairs(before, after):
        yield before[i], after[j]


MAX_ANSWER_PAIRINGS = 40_000
"""Above this many old x new answer pairings (200 x 200), answers are paired along an
alignment of their texts instead of by scoring every pairing (which took 55 s and 2.9 GB
for one example with 4,000 answers)."""


def _answer_pairs(before: Sequence[Message], after: Sequence[Message]) -> list[tuple[int, int]]:
    """(old, new) answer indexes paired best-first (identical text, then the most similar,
    ties to the same position); for many answers, along an alignment (near-linear)."""
    from rapidfuzz.fuzz import ratio

    old = [normalize(x.text) for x in before]
    new = [normalize(y.text) for y in after]
    cutoff = ANSWER_MATCH_THRESHOLD * 100
    if len(old) * len(new) > MAX_ANSWER_PAIRINGS:
        out: list[tuple[int, int]] = []
        for op, i1, i2, j1, j2 in align(old, new):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
                if op == "equal" or ratio(old[i], new[j]) >= cutoff:
                    out.append((i, j))
        return out
    scored = sorted(
        (-ratio(x, y), abs(i - j), i, j) for i, x in enumerate(old) for j, y in enumerate(new)
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for neg_score, _dist, i, j in scored:
        if -neg_score < cutoff or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    return pairs


def references(ctx: Context) -> Iterator[Change]:
    """`reference_broken`: a cross reference whose target the new version no longer has."""
    for q in ctx.new:
        old_id = ctx.backward.get(q.id)
        old_broken = set()
        if old_id is not None:
            old_broken = {r.target for r in ctx.old[old_id].references if r.target not in ctx.old}
        for target in dict.fromkeys(r.target for r in q.references):
            if target not in ctx.new and target not in old_broken:
                yield Change(q.id, ReferenceBroken(target, target in ctx.old, q.title))


def metadata(ctx: Context) -> Iterator[Change]:
    """`metadata_changed`: a front matter key added, removed or given another value."""
    for key, old, new in metadata_changes(ctx.old.front_matter, ctx.new.front_matter):
        yield Change(None, MetadataChanged(key, old, new))


def metadata_changes(
    before: FrontMatter | None, after: FrontMatter | None
) -> list[tuple[str, str | None, str | None]]:
    """(key, old value, new value) for each front matter key that changed.

    A block that is not a YAML mapping, on either side, is compared as one opaque text under
    `OPAQUE_KEY`; so is a mapping whose text changed where no value did (a comment, the
    order of keys). Whitespace alone is never a change.
    """
    text_a = one_line(before.text) if before is not None else None
    text_b = one_line(after.text) if after is not None else None
    if text_a == text_b:
        return []
    entries_a = before.entries if before is not None else ()
    entries_b = after.entries if after is not None else ()
    if entries_a is not None and entries_b is not None:
        old, new = dict(entries_a), dict(entries_b)
        keys = dict.fromkeys([*new, *old])
        found = [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]
        if found:
            return found
    raw_a = before.text if before is not None else None
    raw_b = after.text if after is not None else None
    return [(OPAQUE_KEY, raw_a, raw_b)]


def other_text(ctx: Context) -> Iterator[Change]:
    """`other_text_changed`: the last safety net, for a pair no other change names whose
    region holds other words (an edit in a place no other rule reads).

    Words are compared as a multiset, so moving blocks around (examples reordered) is not
    a change, and whitespace never is; links and citations follow renames.
    """
    for p, q, _pair in ctx.changed():
        if p.id in ctx.reported or q.id in ctx.reported:
            continue
        before = _cites_following(ctx.following_renames(p.text), ctx.renamed)
        if before == q.text:
            continue
        old_words, new_words = Counter(before.split()), Counter(q.text.split())
        if old_words == new_words:
            continue
        removed = _listed(old_words - new_words, before)
        added = _listed(new_words - old_words, q.text)
        yield Change(q.id, OtherTextChanged(removed, added, q.title))


VERDICT_CITES_RE = re.compile(r"(<!--\s*(?:GOOD|BAD|OK)\s*\[)([^\]]{0,2000})\]", re.IGNORECASE)
"""The `[#id, ...]` a verdict comment cites."""

CITED_ID_RE = re.compile(r"(#?)([^\s,#]+)")
"""One id in a verdict's citation list, separators left as written."""


def _cites_following(text: str, renamed: Mapping[str, str]) -> str:
    """Text with the ids verdict comments cite replaced by the ids they have now."""
    if not renamed or "<!--" not in text:
        return text

    def follow(m: re.Match[str]) -> str:
        now = CITED_ID_RE.sub(lambda c: c.group(1) + renamed.get(c.group(2), c.group(2)), m[2])
        return f"{m.group(1)}{now}]"

    return VERDICT_CITES_RE.sub(follow, text)


WORDS_LISTED = 12
"""How many added or removed words `other_text_changed` lists."""


def _listed(words: Counter[str], text: str) -> tuple[str, ...]:
    """Up to `WORDS_LISTED` of `words`, in the order they appear in `text`."""
    ordered = [w for w in dict.fromkeys(text.split()) if w in words]
    return tuple(ordered[:WORDS_LISTED])


Rule = Callable[[Context], Iterator[Change]]

RULES: tuple[tuple[str, Rule], ...] = (
    ("metadata", metadata),
    ("added_and_removed", added_and_removed),
    ("renamed", renamed),
    ("retitled", retitled),
    ("moved", moved),
    ("authority", authority),
    ("tags", tags),
    ("text", text),
    ("commentary", commentary),
    ("examples", examples),
    ("references", references),
    ("other_text", other_text),
)
"""The classification rules, in the order their changes are reported."""


# --- levels ------------------------------------------------------------------------------


def highest_level(levels: Iterator[str] | list[str] | tuple[str, ...]) -> str:
    """The highest of several bump levels (`none` for none)."""
    return max(levels, key=BUMP_LEVELS.index, default="none")


@without_gc_pauses
def classify_changes(
    old: Spec,
    new: Spec,
    pairs: tuple[PolicyPair, ...],
    scheme: AuthorityScheme,
    overrides: Mapping[str, str] | None = None,
    vocabulary: Vocabulary | None = None,
) -> tuple[Change, ...]:
    """Run every rule over a pairing and give each change its bump level."""
    ctx = Context(old, new, pairs, scheme, vocabulary=vocabulary or DEFAULT_VOCABULARY)
    out: list[Change] = []
    for _name, rule in RULES:
        for change in rule(ctx):
            out.append(located(ctx, replace(change, level=change_level(change, overrides))))
            ctx.reported.update(_named(change))
    return tuple(out)


def _named(change: Change) -> list[str]:
    """The policy ids a change speaks of: its own, a moved example's source, a level's."""
    named = [change.policy] if change.policy is not None else []
    if isinstance(change.details, ExampleMoved):
        named.append(change.details.old_policy)
    if isinstance(change.details, AuthorityLevelRenamed):
        named.extend(change.details.policies)
    return named


# --- where each change is, and its fingerprint --------------------------------------------

HEADING_KINDS = frozenset(
    {"policy_renamed", "policy_retitled", "policy_moved", "authority_changed", "tags_changed"}
)
"""Kinds whose change is written on the heading line (its title or attribute block)."""

EXAMPLE_KINDS = frozenset(
    {"example_added", "example_removed", "example_changed", "example_verdict_changed"}
)
"""Kinds located at a worked example of one policy pair (`example_moved` spans two)."""

Lines = tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class _Sides:
    """The policy a change names, as it was and as it is (None where it has no side)."""

    old: Policy | None
    new: Policy | None


def _sides(ctx: Context, change: Change) -> _Sides:
    if change.policy is None:
        return _Sides(None, None)
    if change.kind == "policy_removed":
        return _Sides(ctx.old.get(change.policy), None)
    old_id = ctx.backward.get(change.policy)
    if change.kind == "example_moved":
        moved_from = str(detail(change, "old_policy"))
        old_id = ctx.backward.get(moved_from, moved_from)
    return _Sides(ctx.old.get(old_id) if old_id else None, ctx.new.get(change.policy))


def example_lines(example: Example, policy: Policy) -> tuple[int, int]:
    """First and last line of a worked example: its opening fence to its closing fence."""
    last = example.line + example.source.count("\n") + 1
    return example.line, max(example.line, min(last, max(policy.lines[1], example.line)))


def _heading(policy: Policy | None) -> Lines:
    return (policy.lines[0], policy.lines[0]) if policy else None


def _section(policy: Policy | None) -> Lines:
    return policy.lines if policy else None


@dataclass(frozen=True, slots=True)
class _LocatedExamples:
    """One policy pair's examples by the title their changes name: the first of each title."""

    changed: Mapping[str, tuple[Example, Example]]
    removed: Mapping[str, Example]
    added: Mapping[str, Example]


def _examples_by_title(ctx: Context, p: Policy, q: Policy) -> _LocatedExamples:
    """The pair's changed, removed and added examples by title (computed once per pair)."""
    key = (p.id, q.id)
    found = ctx.located_examples.get(key)
    if found is None:
        pairs, rest_a, rest_b = _pair_examples(p.examples, q.examples)
        changed: dict[str, tuple[Example, Example]] = {}
        for a, b in pairs:
            if a.source != b.source or a.title != b.title:
                changed.setdefault(b.title, (a, b))
        removed: dict[str, Example] = {}
        for a in rest_a:
            removed.setdefault(a.title, a)
        added: dict[str, Example] = {}
        for b in rest_b:
            added.setdefault(b.title, b)
        found = _LocatedExamples(changed, removed, added)
        ctx.located_examples[key] = found
    return found


def _found_examples(ctx: Context, change: Change, sides: _Sides) -> tuple[Example | None, ...]:
    """The old and new worked example an example change is about (None where absent)."""
    p, q = sides.old, sides.new
    title = detail(change, "example")
    if change.kind == "example_moved":
        for move in example_moves(ctx):
            if move.target_policy == change.policy and move.new.title == title:
                return move.old, move.new
        return None, None
    if p is None or q is None:
        return None, None
    located = _examples_by_title(ctx, p, q)
    if change.kind == "example_removed":
        return located.removed.get(title), None
    if change.kind == "example_added":
        return None, located.added.get(title)
    return located.changed.get(title, (None, None))


def located(ctx: Context, change: Change) -> Change:
    """The change with its lines in each version, its policy's heading lines and fingerprint."""
    sides = _sides(ctx, change)
    old_lines, new_lines = _section(sides.old), _section(sides.new)
    before = after = None
    if change.kind in HEADING_KINDS:
        old_lines, new_lines = _heading(sides.old), _heading(sides.new)
    elif change.kind in EXAMPLE_KINDS or change.kind == "example_moved":
        before, after = _found_examples(ctx, change, sides)
        old_lines = example_lines(before, sides.old) if before and sides.old else None
        new_lines = example_lines(after, sides.new) if after and sides.new else None
    elif change.kind == "reference_broken" and sides.new is not None:
        target = detail(change, "target")
        line = next((r.line for r in sides.new.references if r.target == target), 0)
        old_lines, new_lines = None, (line, line) if line else _section(sides.new)
    elif isinstance(change.details, MetadataChanged):
        old_lines, new_lines = _front_matter_lines(ctx.old), _front_matter_lines(ctx.new)
    removed, added = _changed_words(ctx, change, sides, before, after)
    return replace(
        change,
        old_lines=old_lines,
        new_lines=new_lines,
        heading_line=HeadingLines(_heading_line(sides.old), _heading_line(sides.new)),
        fingerprint=fingerprint(change.kind, change.policy, removed, added),
    )


def edited_words(
    old: Spec, new: Spec, pairs: tuple[PolicyPair, ...], changes: Iterable[Change]
) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The words each change removed and added (what its fingerprint counts), in order:
    for reports that read what a change says, such as `audit`."""
    ctx = Context(old, new, pairs, AuthorityScheme())
    out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for change in changes:
        sides = _sides(ctx, change)
        before = after = None
        if change.kind in EXAMPLE_KINDS or change.kind == "example_moved":
            before, after = _found_examples(ctx, change, sides)
        removed, added = _changed_words(ctx, change, sides, before, after)
        out.append((tuple(removed), tuple(added)))
    return tuple(out)


def _heading_line(policy: Policy | None) -> int | None:
    """The line of a policy's heading; None when absent or a reserved section without one."""
    if policy is None or policy.id in RESERVED_IDS:
        return None
    return policy.lines[0]


def _front_matter_lines(spec: Spec) -> Lines:
    """The lines of a spec's front matter block, markers included (None without one)."""
    front = spec.front_matter
    return (front.line, front.last_line) if front is not None else None


def fingerprint(kind: str, policy: str | None, removed: Iterable[str], added: Iterable[str]) -> str:
    """The first 12 hex digits of a sha256 over the kind, the policy id and the words removed
    and added (whitespace-insensitive), so the same change has the same fingerprint in any run,
    on any machine, whatever else the two versions hold."""
    import hashlib

    parts = [kind, policy or "", " ".join(removed), " ".join(added)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def changed_words(
    old: Spec,
    new: Spec,
    pairs: tuple[PolicyPair, ...],
    changes: Iterable[Change],
    scheme: AuthorityScheme,
) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """What each change of a comparison removed and added, as words: the words its
    fingerprint is made of, so `fingerprint(kind, policy, removed, added)` gives a change's
    own fingerprint back and the same edit reads the same in any two documents."""
    ctx = Context(old, new, pairs, scheme)
    out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for change in changes:
        sides = _sides(ctx, change)
        before = after = None
        if change.kind in EXAMPLE_KINDS or change.kind == "example_moved":
            before, after = _found_examples(ctx, change, sides)
        removed, added = _changed_words(ctx, change, sides, before, after)
        out.append((tuple(removed), tuple(added)))
    return tuple(out)


def _edited_words(old: str, new: str) -> tuple[list[str], list[str]]:
    """The words deleted from `old` and inserted into `new`, in order, without the context."""
    removed: list[str] = []
    added: list[str] = []
    for segment in redline(old, new):
        if segment.op == "delete":
            removed.extend(segment.text.split())
        elif segment.op == "insert":
            added.extend(segment.text.split())
    return removed, added


def _words(*texts: object) -> list[str]:
    return [w for t in texts if t is not None for w in str(t).split()]


def _changed_words(
    ctx: Context, change: Change, sides: _Sides, before: Example | None, after: Example | None
) -> tuple[list[str], list[str]]:
    """What a change removed and added, as words: its own content, never the text around it."""
    kind = change.kind
    p, q = sides.old, sides.new
    if kind == "text_changed" and p and q:
        return _edited_words(ctx.following_renames(p.prose), q.prose)
    if kind == "commentary_changed" and p and q:
        old_text = "\n\n".join(ctx.following_renames(c.text) for c in p.commentary)
        return _edited_words(old_text, "\n\n".join(c.text for c in q.commentary))
    if kind in ("example_changed", "example_moved") and before and after:
        return _edited_words(before.source, after.source)
    if isinstance(change.details, ExampleVerdictChanged):
        flips, example = change.details.answers, change.details.example
        return (
            _words(example, *(f.old for f in flips)),
            _words(example, *(f.new for f in flips), *(f.answer for f in flips)),
        )
    if kind == "policy_added" and q:
        return [], _words(q.title, q.authority, q.prose)
    if kind == "policy_removed" and p:
        return _words(p.title, p.authority, p.prose), []
    return _detail_words(change, before, after)


DETAIL_WORDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {
        "policy_renamed": (("old_id", "old_title"), ("new_id", "new_title")),
        "policy_retitled": (("old_title",), ("new_title",)),
        "policy_moved": (("old_parent",), ("new_parent",)),
        "authority_changed": (("old",), ("new",)),
        "authority_level_renamed": (("old",), ("new",)),
        "tags_changed": (("removed",), ("added",)),
        "reference_broken": ((), ("target",)),
        "example_added": ((), ("example",)),
        "example_removed": (("example",), ()),
        "metadata_changed": (("key", "old"), ("key", "new")),
    }
)
"""The details that say what a change removed and what it added, for kinds whose words are
not a text to compare."""


def _detail_words(
    change: Change, before: Example | None, after: Example | None
) -> tuple[list[str], list[str]]:
    gone, came = DETAIL_WORDS.get(change.kind, ((), ()))
    removed = [w for key in gone for w in _words(*_flat(detail(change, key)))]
    added = [w for key in came for w in _words(*_flat(detail(change, key)))]
    if change.kind == "example_removed" and before is not None:
        removed += before.source.split()
    if change.kind == "example_added" and after is not None:
        added += after.source.split()
    return removed, added


def detail(change: Change, name: str) -> Any:
    """One of a change's typed details by its JSON name; None for a kind without it."""
    return getattr(change.details, name, None)


def _flat(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)
