"""Needs that invite proposals: procurement settings, public clarifications, and suppliers' proposals."""
