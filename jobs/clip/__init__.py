"""Clip a job from any page: structured extraction (schema.org JobPosting first, then the page's
text), page-chrome stripping, and the API, paste page and bookmarklet that save what was found."""
