"""No text outside the model: the post-pass of `parse` over the policies the reader built.

The reader turns headings into policies. Everything else a document can hold is given a
place here, so that the diff sees every edit:

- YAML front matter (`---` lines at the top) becomes `Spec.front_matter`, read with
  ruamel.yaml's safe loader; a block that is not a YAML mapping is kept as opaque text.
- Text before the first heading becomes a section with the reserved id `_preamble`; a
  document without headings (a system prompt template, a plain constitution) is one
  section with the reserved id `_document`. Both are read like any section's body (prose,
  examples, commentary, references), from the same parser.
- Link reference definitions, which CommonMark parsers consume without a trace, are kept
  at the end of the prose of the section that holds them.
- Every section records the text of its whole region (`Policy.text`), whose words the diff
  compares last, so an edit in a place nothing else reads is still reported.

A heading that declares a reserved id (or whose title slugifies to one) is renamed
`_preamble~2` (the convention for duplicate ids) with a `reserved_id` warning, whether or
not the document has a preamble, so a policy's id never depends on text elsewhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from specver.spec.model import (
    DOCUMENT_ID,
    PREAMBLE_ID,
    RESERVED_IDS,
    Commentary,
    Diagnostic,
    Example,
    FrontMatter,
    Policy,
    Reference,
    Spec,
)

FRONT_MATTER_MARKER = "---"
"""The line that opens and closes a front matter block (trailing spaces allowed)."""

OPAQUE_KEY = "(front matter)"
"""The `key` of a change to front matter that is not a YAML mapping, or whose text changed
where its values did not (comments, key order)."""

REGION_TITLES = {PREAMBLE_ID: "(preamble)", DOCUMENT_ID: "(document)"}
"""The titles the reserved sections are shown with."""

LINK_DEFINITION_RE = re.compile(r"^ {0,3}\[(?!\^)(?:[^\]\\]|\\.){1,999}\]:[ \t]*\S")
"""A line that opens a CommonMark link reference definition (`[label]: destination`)."""

ParseBody = Callable[[str], Spec]
"""Parses text into policies (the reader without this post-pass)."""


def read_front_matter(lines: Sequence[str]) -> FrontMatter | None:
    """The front matter block at the top of a document's lines, None when there is none."""
    if not lines or lines[0].rstrip() != FRONT_MATTER_MARKER:
        return None
    for k in range(1, len(lines)):
        if lines[k].rstrip() == FRONT_MATTER_MARKER:
            text = "\n".join(lines[1:k])
            return FrontMatter(text, front_matter_entries(text), 1, k + 1)
    return None


def front_matter_entries(text: str) -> tuple[tuple[str, str], ...] | None:
    """Top-level keys and values of a YAML mapping, None for bad YAML or another shape."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    if not text.strip():
        return ()
    try:
        data = YAML(typ="safe", pure=True).load(text)
    except (YAMLError, ValueError, TypeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return tuple((str(key), metadata_value(value)) for key, value in data.items())


def metadata_value(value: Any) -> str:
    """A front matter value as text: a string as written, a date in ISO form, anything else
    as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def complete(spec: Spec, lines: list[str], parse_body: ParseBody) -> Spec:
    """The spec with its front matter, its reserved sections and every region's words."""
    front = read_front_matter(lines)
    body_start = front.last_line if front is not None else 0
    policies, notes = _without_reserved_ids(spec.policies)
    starts = [p.lines[0] - 1 for p in policies]
    first = starts[0] if starts else len(lines)
    region = _region(lines, body_start, first, DOCUMENT_ID if not policies else PREAMBLE_ID)
    read = [_with_region_text(p, lines, a, b) for p, a, b in _bounds(policies, starts, lines)]
    if region is not None:
        body = _read_region(region, lines, body_start, first, parse_body)
        read.insert(0, _with_region_text(body, lines, body_start, first))
    return replace(
        spec,
        policies=tuple(read),
        front_matter=front,
        diagnostics=(*spec.diagnostics, *notes),
    )


def _bounds(
    policies: Sequence[Policy], starts: list[int], lines: list[str]
) -> list[tuple[Policy, int, int]]:
    """Each policy with the 0-based start and end (exclusive) of its region's lines."""
    ends = [*starts[1:], len(lines)] if starts else []
    return [(p, a, max(a, b)) for p, a, b in zip(policies, starts, ends, strict=True)]


def _region(lines: list[str], start: int, stop: int, ident: str) -> str | None:
    """The reserved id of the region `lines[start:stop]`, None when it is blank."""
    return ident if any(line.strip() for line in lines[start:stop]) else None


def _read_region(
    ident: str, lines: list[str], start: int, stop: int, parse_body: ParseBody
) -> Policy:
    """The section of the text outside any heading, read as the body of a heading would be."""
    title = REGION_TITLES[ident]
    heading = f"# {title} {{#{ident}}}"
    read = parse_body("\n".join([heading, *lines[start:stop]]))
    body = read.policies[0]
    shift = start - 1
    first, last = start, stop
    while not lines[first].strip():
        first += 1
    while last > start and not lines[last - 1].strip():
        last -= 1
    policy = replace(
        body,
        title=title,
        lines=(first + 1, last),
        commentary=tuple(Commentary(c.title, c.text, c.line + shift) for c in body.commentary),
        examples=tuple(
            Example(e.title, e.messages, e.line + shift, e.source, e.titled) for e in body.examples
        ),
        references=tuple(Reference(r.target, r.text, r.line + shift) for r in body.references),
    )
    return policy


def _with_region_text(policy: Policy, lines: list[str], start: int, stop: int) -> Policy:
    """A policy with its region's text (`lines[start:stop]`) and the link definitions in it."""
    text = "\n".join(lines[start:stop])
    definitions = []
    if "]:" in text:
        definitions = [
            line.strip()
            for line in lines[start:stop]
            if "]:" in line and LINK_DEFINITION_RE.match(line) and line.strip() not in policy.prose
        ]
    prose = policy.prose
    if definitions:
        prose = "\n\n".join([*([prose] if prose else []), "\n".join(definitions)])
    return replace(policy, text=text, prose=prose)


def _without_reserved_ids(
    policies: tuple[Policy, ...],
) -> tuple[tuple[Policy, ...], list[Diagnostic]]:
    """Policies with every reserved id a heading declared renamed, and a warning for each."""
    if not any(p.id in RESERVED_IDS for p in policies):
        return policies, []
    taken = {p.id for p in policies}
    renames: dict[str, str] = {}
    notes: list[Diagnostic] = []
    for p in policies:
        if p.id not in RESERVED_IDS:
            continue
        n = 2
        while f"{p.id}~{n}" in taken:
            n += 1
        renames[p.id] = f"{p.id}~{n}"
        taken.add(renames[p.id])
        notes.append(
            Diagnostic(
                "reserved_id",
                f"id `{p.id}` is reserved for the text outside any heading; "
                f"this heading is read as `{renames[p.id]}`",
                p.lines[0],
                "warning",
            )
        )
    out = tuple(
        replace(
            p,
            id=renames.get(p.id, p.id),
            parent=renames.get(p.parent, p.parent) if p.parent is not None else None,
        )
        for p in policies
    )
    return out, notes
