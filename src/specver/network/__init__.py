"""`specver forks`: what a spec's fork network says back to upstream.

The stages, each its own module: `sources` (which forks, their specs read once per
distinct blob, merge bases, how far behind), `compare` (one fork against its base: the
fork report's `ours`, rule verdicts, words of each change, drift), `tally` (across forks:
per policy, identical edits, new policies), `run` (the pipeline, comparisons in parallel)
and `model` (the frozen values the renderers read).
"""
