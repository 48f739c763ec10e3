"""The web front end: FastAPI app, Jinja2 templates, no asset from the internet."""
