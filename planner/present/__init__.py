"""Presentation shared by the fronts: words and number formats, charts (tables in, Altair charts
out), the plan in words, comparisons."""
