"""A spec's life in git: walking revisions, the per-repository cache."""
