"""`specver audit`: a release's notes checked against what the text of the release does.

`notes` reads the maintainers' entry (a CHANGELOG.md section found by version, or any
Markdown or plain notes file) into bullets with the policies, titles and terms they name and
the verbs they use; `verbs` is the table of those verbs; `match` ties bullets to the changes
of a diff; `report` builds the three lists (undisclosed changes, claims without a change,
disagreements) and the coverage figures; `load` reads the notes files at the edge.
"""
