"""Sync by file (see docs in README of a package and SYNC guarantees): export, read, preview, apply."""
