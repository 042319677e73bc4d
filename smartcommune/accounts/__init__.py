"""People, their roles and the scope of each role; the one place that answers "may X see/do Y"."""
