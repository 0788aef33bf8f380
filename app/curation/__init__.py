"""Writing through the API: keys, the checks the seed loader makes, the write transaction, the audit."""
