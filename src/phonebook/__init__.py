"""Phonebook: a three-tier web application with a JSON API and an HTML front-end."""
