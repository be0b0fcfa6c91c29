"""Invariants of `specver forks` on generated networks of plain files (no git): whatever
edits each fork makes, the tallies, shared edits and unchanged copies follow from them, and
the order of the forks changes nothing but the order of names."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specver import api
from specver.network.model import ForkNetwork
from tests.test_forks_report import MIXED, V1

EDITS = {
    "mixed": ("be_brief", lambda s: s.replace(*MIXED)),
    "remove": ("greet", lambda s: _drop(s, "## Greet politely")),
    "lower": ("refuse_weapons", lambda s: s.replace("authority=root}", "authority=user}")),
    "rename": ("keep_secrets", lambda s: s.replace("{#keep_secrets ", "{#guard_secrets ")),
    "tighten": (
        "language",
        lambda s: s.replace(
            "writes in.", "writes in. The assistant must not switch languages unasked."
        ),
    ),
}
"""Edits a fork may make: the policy each touches, and the edit."""
LABEL = {
    "mixed": "mixed",
    "remove": "removed",
    "lower": "authority_lowered",
    "rename": "renamed",
    "tighten": "tightened",
}


def _drop(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.index("\n## ", start + 1)
    return text[:start] + text[end + 1 :]


def _network(plans: list[frozenset[str]], order: list[int]) -> ForkNetwork:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "up.md").write_text(V1, encoding="utf-8")
        lines = []
        for k in order:
            text = V1
            for name in sorted(plans[k]):
                text = EDITS[name][1](text)
            (root / f"f{k}.md").write_text(text, encoding="utf-8")
            lines.append(f"f{k}.md")
        (root / "list.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return api.fork_network(str(root / "up.md"), listing=root / "list.txt", jobs=1)


plans_st = st.lists(st.frozensets(st.sampled_from(sorted(EDITS))), min_size=1, max_size=5)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans=plans_st, data=st.data())
def test_tallies_follow_the_edits_in_any_order(plans: list[frozenset[str]], data) -> None:
    order = data.draw(st.permutations(range(len(plans))))
    net = _network(plans, list(range(len(plans))))
    by = {t.policy: t for t in net.policies}
    for name, (policy, _edit) in EDITS.items():
        forks = tuple(f"f{k}.md" for k, plan in enumerate(plans) if name in plan)
        if not forks:
            assert policy not in by
            continue
        assert by[policy].forks == forks
        assert getattr(by[policy].verdicts, LABEL[name]) == len(forks)
        if len(forks) >= 2:  # the same edit by several forks is one group
            assert forks in {e.forks for e in net.shared_edits if e.policy == policy}
    assert [f.name for f in net.unchanged] == [f"f{k}.md" for k, p in enumerate(plans) if not p]
    for edit in net.shared_edits:
        assert len(edit.forks) >= 2 and set(edit.forks) <= set(by[edit.policy].forks)
    shuffled = _network(plans, order)
    assert {t.policy: (sorted(t.forks), t.verdicts) for t in shuffled.policies} == {
        t.policy: (sorted(t.forks), t.verdicts) for t in net.policies
    }
    assert sorted((e.policy, e.kind, sorted(e.forks)) for e in shuffled.shared_edits) == sorted(
        (e.policy, e.kind, sorted(e.forks)) for e in net.shared_edits
    )
