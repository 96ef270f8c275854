"""The domain: records, storage and rules. Never imports Qt (a test enforces it)."""
