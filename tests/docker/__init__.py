"""Checks of the Dockerfiles, the Compose file and the images built from them."""
