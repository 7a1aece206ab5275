"""Server-rendered web UI (Jinja2 + htmx) over the same services as the API."""
