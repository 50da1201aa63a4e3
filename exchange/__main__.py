"""``python -m exchange``: the ``exchange`` command, for starting it from the running interpreter."""

from exchange.cli import app

app()
