"""HTTP: routers, schemas, problems, formats and caching."""
