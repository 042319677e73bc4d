"""The versioned JSON API under ``/api/``, described by an OpenAPI 3 document."""
