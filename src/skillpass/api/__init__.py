"""HTTP API (versioned under /api/v1): thin routes over the services."""
