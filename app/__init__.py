"""The Hong Kong/Guangdong co-operation commitments register."""
