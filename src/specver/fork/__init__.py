"""Forks: three-way comparison of a fork with its upstream, and merging."""
