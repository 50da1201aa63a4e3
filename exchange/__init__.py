"""The Open Innovation Exchange: councils' needs meet suppliers' pitches and offers."""

__version__ = "0.1.0"
