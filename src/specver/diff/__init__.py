"""Comparing two specs: pairing policies, classifying changes, word-level text comparison."""
