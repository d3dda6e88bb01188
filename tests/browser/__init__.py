"""Browser tests of the front-end page in headless Chromium."""
