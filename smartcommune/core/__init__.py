"""Project-wide pieces with no domain of their own: configuration checks."""
