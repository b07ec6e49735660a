"""The web service (FastAPI) and its static page."""
