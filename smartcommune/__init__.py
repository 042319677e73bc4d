"""smartcommune — the yearly smart-commune (xã thông minh) assessment of a Vietnamese province."""

__version__ = "0.1.0"
