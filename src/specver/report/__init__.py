"""Reports built on a diff: impact (steerability, safeguards, evals, scope)."""
