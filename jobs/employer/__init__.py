"""Employer side: company pages, members, the posting workflow (draft, submit, close, extend)."""
