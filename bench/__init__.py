"""Benchmark harness: runs wrk against the phonebook and two reference servers."""
