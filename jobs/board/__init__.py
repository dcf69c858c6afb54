"""The public board: search, posting and company pages, feeds, sitemaps, JSON-LD."""
