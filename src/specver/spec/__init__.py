"""Reading specs: sources (files, git revisions), the parser, the spec model and the linter."""
