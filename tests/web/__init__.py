"""Tests of the front-end against real back-end and front-end processes."""
