"""Releases: versions and bumps, changelog entries, tagging a release."""
