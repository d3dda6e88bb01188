"""The JSON API back-end and all database logic."""
