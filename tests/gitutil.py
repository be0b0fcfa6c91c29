"""Helpers for tests that build git history: run git, commit a file, make a fork branch."""

from __future__ import annotations

import subprocess
from pathlib import Path

from specver.api import parse_text

IDENTITY = ("-c", "user.name=Spec Tester", "-c", "user.email=tester@example.invalid")


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` and return its stdout."""
    done = subprocess.run(
        ["git", *IDENTITY, "-C", str(repo), *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def commit_file(repo: Path, path: str, text: str, message: str) -> str:
    """Write `text` to `path`, commit it and return the new commit id."""
    (repo / path).write_text(text, encoding="utf-8")
    git(repo, "add", "--", path)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def drop_section(text: str, policy_id: str) -> str:
    """The text without one policy's section (its heading up to the next heading)."""
    spec = parse_text(text)
    lines = text.split("\n")
    ids = [p.id for p in spec]
    k = ids.index(policy_id)
    start = spec.policies[k].lines[0] - 1
    end = spec.policies[k + 1].lines[0] - 1 if k + 1 < len(ids) else len(lines)
    return "\n".join(lines[:start] + lines[end:])


def insert_after_section(text: str, policy_id: str, block: str) -> str:
    """The text with `block` inserted right after a policy's own section."""
    spec = parse_text(text)
    lines = text.split("\n")
    ids = [p.id for p in spec]
    k = ids.index(policy_id)
    end = spec.policies[k + 1].lines[0] - 1
    return "\n".join([*lines[:end], *block.strip("\n").split("\n"), "", *lines[end:]])


def edit_first_paragraph(text: str, policy_id: str, sentence: str) -> str:
    """The text with a sentence appended to the first prose line of a policy's section."""
    spec = parse_text(text)
    start = spec[policy_id].lines[0]
    lines = text.split("\n")
    k = start
    while not lines[k].strip():
        k += 1
    lines[k] = lines[k] + " " + sentence
    return "\n".join(lines)
