"""`coop draft`: from a press release (plain text or saved HTML) to a seed file of draft records."""
