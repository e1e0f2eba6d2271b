"""Files and package data: reading drafts, writing safely, caches and templates."""
