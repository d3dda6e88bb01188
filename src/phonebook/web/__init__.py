"""The front-end: a server-rendered phonebook page that calls the back-end API."""
