"""The API's web layer: /api/v1 resources, its docs, and the token pages."""
