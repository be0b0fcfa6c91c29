"""Reports built on a diff: impact (steerability, safeguards, evals, scope)."""

IMPACT_DIFF_FORMATS = frozenset({"html"})
"""`specver diff` formats whose renderer reads the diff's Impact instead of the SpecDiff
(`report.views.diff_view`); kept here so that a caller can tell without importing the
impact assessors."""
