"""Exports: tables and workbooks as bytes (the caller decides where they go)."""
