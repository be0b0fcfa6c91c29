"""The words specver's reports use, explained for a reader who is not an engineer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry."""

    key: str
    """Anchor-safe key: the entry's id is `g-<key>`."""
    term: str
    meaning: str


GLOSSARY: tuple[Term, ...] = (
    Term(
        "policy",
        "Policy",
        "A titled section of the spec with its own id (for example “Do not lie”). It is the "
        "unit specver compares: each policy of the old version is paired with its "
        "counterpart in the new one, even when it was renamed or moved.",
    ),
    Term(
        "level",
        "Authority level",
        "How binding a policy is, written on its heading. From the strongest: root (called "
        "platform in older versions) holds rules nobody may override; system, rules only "
        "the system message may override; developer and user, defaults that the developer "
        "or the user may change; guideline, defaults anyone may override, even without "
        "saying so.",
    ),
    Term(
        "grouping",
        "Grouping",
        "A heading that gathers policies under a common title but has no authority level "
        "of its own. It binds nobody by itself; the policies inside it do.",
    ),
    Term(
        "override",
        "Overridable, steerability",
        "A policy is overridable by a party (system message, developer, user) when that "
        "party's instruction may set it aside. Steerability is who may override what; a "
        "new rule at the root level is one nobody can override, which is not the same as "
        "an existing rule becoming harder to override.",
    ),
    Term(
        "tightened",
        "Tightened, loosened, neutral, mixed, unchanged",
        "The effect of a change on what the model may do. Tightened: a rule became stricter "
        "(a “should” became a “must”, an exception was removed, an item was added to a "
        "list of things not to do). Loosened: the opposite. Neutral: reworded without "
        "changing its force. Mixed: a policy with some rules tightened and others loosened. "
        "Unchanged, as a verdict: the policy's text changed, but no rule in it became "
        "stricter or looser.",
    ),
    Term(
        "safeguard",
        "Safeguard",
        "A rule that protects people: any root- or system-level policy, every statement "
        "whose force changed, and every worked example whose verdict was reversed.",
    ),
    Term(
        "commentary",
        "Commentary",
        "A boxed note in a policy that explains or motivates it (written `!!! meta "
        "“Commentary”` in the source). It is not itself a rule. “Commentary changed (1 → 2 "
        "blocks)” means the policy had one such note and now has two.",
    ),
    Term(
        "example",
        "Worked example, verdict",
        "A sample conversation that shows how a policy applies, with candidate answers "
        "marked GOOD, BAD or OK. A reversed verdict (an answer once GOOD now BAD, or the "
        "reverse) changes what the spec teaches and is a major change.",
    ),
    Term(
        "eval",
        "Eval prompt file, footnote marker",
        "A small raised marker such as ᵃᵇᶜᵈ in a policy's text refers to a file of test "
        "prompts (`examples/abcd.md`) used to check that a model follows the policy. When "
        "the policy changes, those tests should be run again.",
    ),
    Term(
        "bump",
        "Suggested bump: major, minor, patch",
        "How much the version number should move, as in semantic versioning. Major: "
        "something people relied on was removed, reversed or moved in authority. Minor: "
        "rules or examples were added or changed in substance. Patch: wording, tags or "
        "commentary only. “Bump minor” means: release this as a minor version.",
    ),
    Term(
        "copyedit",
        "Copy edit",
        "A change of spelling, punctuation or a few words that leaves the meaning as it "
        "was. Copy edits are counted but not treated as changes of substance.",
    ),
    Term(
        "redline",
        "Redline",
        "The text of a policy with deletions struck through in red and insertions "
        "underlined in green. Unchanged sentences and paragraphs far from any edit are "
        "folded into a note such as “[3 unchanged sentences]”.",
    ),
)
"""The entries, in the order a reader meets them."""
