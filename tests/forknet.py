"""A generated fork network for `specver forks` tests: 20 fork remotes of the corpus.

`build_network(repo)` takes a clone of the corpus bundle (upstream `main` at v2025.09.12,
tags on the three releases) and adds remote-tracking refs `refs/remotes/fork-NN/main`,
branched at different releases, some with the same edits, some unchanged, three with no
history shared with upstream. The edits are sentences and a section written here, applied
to policies chosen at run time by what they are (present in all three releases with the
same prose, a leaf, at the needed level), never by corpus text. `Script` is what the test
expects, derived from the script alone.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from specver.api import parse_text
from tests.gitutil import drop_section, edit_first_paragraph, insert_after_section

SPEC = "model_spec.md"
TAGS = ("v2025.02.12", "v2025.04.11", "v2025.09.12")
TIGHTEN = "The assistant must never disclose the deployment's internal codename."
LOOSEN = "The assistant may share the deployment's internal codename whenever a user asks."
TIGHTEN_AGAIN = "The assistant must not speculate about unreleased model versions."
NEW_POLICY = (
    "## {title} {{#{id} authority=user}}\n\n"
    "The assistant should keep the deployment's internal codename private and {tail}.\n"
)
NEW_TITLES = ("Keep the codename private", "Keep the internal codename private")
OTHER_POLICY = (
    "## Mention regional holidays {#regional_holidays authority=guideline}\n\n"
    "The assistant may mention regional public holidays when they affect a schedule.\n"
)
IDENTITY = {
    "GIT_AUTHOR_NAME": "Fork Tester",
    "GIT_AUTHOR_EMAIL": "forks@example.invalid",
    "GIT_COMMITTER_NAME": "Fork Tester",
    "GIT_COMMITTER_EMAIL": "forks@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    """Run git in `repo` with a fixed identity and date; its stdout."""
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **IDENTITY},
    )
    return done.stdout.strip()


@dataclass(frozen=True)
class Targets:
    """The policies the script edits, chosen from what the releases hold."""

    tighten: str
    loosen: str
    remove: str
    raise_: str
    lower: str
    tighten_again: str
    after: str
    """The policy after which forks insert their new policy."""


def choose_targets(texts: dict[str, str]) -> Targets:
    """Leaf policies present in every release with the same prose and level, whose section
    opens with a prose line (so a sentence can be appended to it): `user` ones for the
    authority changes, `guideline` ones for the rest."""
    specs = {tag: parse_text(text) for tag, text in texts.items()}
    last = specs[TAGS[-1]]
    found: dict[str, list[str]] = {"user": [], "guideline": []}
    for k, p in enumerate(last):
        nxt = last.policies[k + 1] if k + 1 < len(last.policies) else None
        leaf = nxt is None or nxt.depth <= p.depth
        same = all(
            p.id in s and s[p.id].prose == p.prose and s[p.id].authority == p.authority
            for s in specs.values()
        )
        usable = p.authority in found and leaf and same and p.prose
        if usable and _opens_with_prose(texts, specs, p.id):
            found[str(p.authority)].append(p.id)
    users, others = found["user"], found["guideline"]
    assert len(users) >= 3 and len(others) >= 4, f"too few suitable policies: {found}"
    return Targets(users[2], others[0], others[1], users[0], users[1], others[2], others[3])


def _opens_with_prose(texts: dict[str, str], specs: dict, pid: str) -> bool:
    for tag, text in texts.items():
        lines = text.split("\n")
        k = specs[tag][pid].lines[0]
        while not lines[k].strip():
            k += 1
        if not lines[k][:1].isalpha():
            return False
    return True


def set_authority(text: str, pid: str, level: str) -> str:
    """The text with one policy's heading at another authority level."""
    spec = parse_text(text)
    lines = text.split("\n")
    k = spec[pid].lines[0] - 1
    old = spec[pid].authority
    assert f"authority={old}" in lines[k]
    lines[k] = lines[k].replace(f"authority={old}", f"authority={level}")
    return "\n".join(lines)


Edit = Callable[[str], str]


@dataclass
class ForkPlan:
    """One scripted fork: where it starts, its commits, and what the test expects of it."""

    name: str
    tag: str
    edits: list[tuple[str, Edit]] = field(default_factory=list)
    """(label, edit) per commit; labels are `tighten:P`, `loosen:P`, `remove:P`, `raise:P`,
    `lower:P`, `add:ID` (the new policy's id)."""
    orphan: bool = False
    """A commit with no parent: git knows no merge base, the base must be detected."""


@dataclass
class Script:
    """The network as scripted, and the targets it edits."""

    targets: Targets
    forks: list[ForkPlan]
    upstream_commit: str
    tag_commits: dict[str, str]


def plans(t: Targets) -> list[ForkPlan]:
    """The 20 forks."""

    def tighten(pid: str = t.tighten, sentence: str = TIGHTEN) -> tuple[str, Edit]:
        return f"tighten:{pid}", lambda s: edit_first_paragraph(s, pid, sentence)

    def loosen() -> tuple[str, Edit]:
        return f"loosen:{t.loosen}", lambda s: edit_first_paragraph(s, t.loosen, LOOSEN)

    def remove() -> tuple[str, Edit]:
        return f"remove:{t.remove}", lambda s: drop_section(s, t.remove)

    def add(pid: str, title: str, tail: str) -> tuple[str, Edit]:
        block = NEW_POLICY.format(id=pid, title=title, tail=tail)
        return f"add:{pid}", lambda s: insert_after_section(s, t.after, block)

    v1, v2, v3 = TAGS
    return [
        ForkPlan("fork-01", v3),
        ForkPlan("fork-02", v2),
        ForkPlan("fork-03", v1),
        ForkPlan("fork-04", v3, [tighten()]),
        ForkPlan("fork-05", v2, [tighten()]),
        ForkPlan("fork-06", v1, [tighten()]),
        ForkPlan("fork-07", v3, [loosen()]),
        ForkPlan("fork-08", v3, [loosen(), tighten()]),
        ForkPlan("fork-09", v2, [remove()]),
        ForkPlan("fork-10", v1, [remove()]),
        ForkPlan(
            "fork-11",
            v3,
            [(f"raise:{t.raise_}", lambda s: set_authority(s, t.raise_, "developer"))],
        ),
        ForkPlan(
            "fork-12",
            v3,
            [(f"lower:{t.lower}", lambda s: set_authority(s, t.lower, "guideline"))],
        ),
        ForkPlan("fork-13", v3, [add("keep_codename_private", NEW_TITLES[0], "never repeat it")]),
        ForkPlan(
            "fork-14", v2, [add("codename_privacy", NEW_TITLES[1], "never repeat it in answers")]
        ),
        ForkPlan(
            "fork-15",
            v3,
            [("add:regional_holidays", lambda s: insert_after_section(s, t.after, OTHER_POLICY))],
        ),
        ForkPlan("fork-16", v2, [tighten()], orphan=True),
        ForkPlan("fork-17", v1, [], orphan=True),
        ForkPlan("fork-18", v3, [loosen()], orphan=True),
        ForkPlan("fork-19", v3, [tighten(t.tighten_again, TIGHTEN_AGAIN)]),
        ForkPlan("fork-20", v2, [tighten(), loosen()]),
    ]


def _show(repo: Path, what: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "show", what], capture_output=True, text=True, check=True
    )
    return done.stdout


def _commit(repo: Path, tree: str, parent: str | None, message: str) -> str:
    args = ["commit-tree", tree, "-m", message]
    if parent is not None:
        args += ["-p", parent]
    return git(repo, *args)


def _tree_with(repo: Path, base_tree: str | None, text: str) -> str:
    blob = git(repo, "hash-object", "-w", "--stdin", stdin=text)
    entries = []
    if base_tree is not None:
        for line in git(repo, "ls-tree", base_tree).splitlines():
            if not line.endswith(f"\t{SPEC}"):
                entries.append(line)
    entries.append(f"100644 blob {blob}\t{SPEC}")
    return git(repo, "mktree", stdin="\n".join(entries) + "\n")


def build_network(repo: Path) -> Script:
    """Add the 20 fork remotes (and one remote the pattern leaves out) to a bundle clone."""
    texts = {tag: _show(repo, f"{tag}:{SPEC}") for tag in TAGS}
    targets = choose_targets(texts)
    tag_commits = {tag: git(repo, "rev-parse", f"{tag}^{{commit}}") for tag in TAGS}
    forks = plans(targets)
    for plan in forks:
        text = texts[plan.tag]
        parent: str | None = tag_commits[plan.tag]
        tree: str | None = git(repo, "rev-parse", f"{plan.tag}^{{tree}}")
        if plan.orphan:
            parent, tree = None, None
            if not plan.edits:
                parent = _commit(repo, _tree_with(repo, None, text), None, "copy")
        for label, edit in plan.edits:
            text = edit(text)
            new_tree = _tree_with(repo, tree, text)
            parent = _commit(repo, new_tree, parent, label)
            tree = new_tree
        assert parent is not None
        git(repo, "update-ref", f"refs/remotes/{plan.name}/main", parent)
    git(repo, "update-ref", "refs/remotes/mirror/main", tag_commits[TAGS[0]])
    return Script(targets, forks, git(repo, "rev-parse", "main"), tag_commits)
