"""Staff review queue: approve or reject submitted postings."""
