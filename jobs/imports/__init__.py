"""Staff file imports (CSV / JSON / schema.org) run as background jobs."""
