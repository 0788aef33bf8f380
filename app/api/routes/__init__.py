"""One router module per resource (or small family of resources)."""
