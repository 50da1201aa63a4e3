"""Where the layers meet: the listeners and jobs of the packages built on the domains are registered here,
once per process, by whatever runs the exchange (the web application, the worker, the command line).

The domains below never import what is built on them; they record events (core.events), and the modules
imported here listen. A module that defines jobs must be imported in every process that enqueues or runs
them, so the queue's registry knows them by name.
"""

from __future__ import annotations

import importlib

from exchange.core import events, queue

LISTENERS_AND_JOBS = (
    "exchange.organisations.service",
    "exchange.accounts.tasks",
    "exchange.feedback.subscribers",
    "exchange.outbox.tasks",
    "exchange.search.subscribers",
    "exchange.matching.subscribers",
    "exchange.matching.tasks",
    "exchange.case_studies.subscribers",
    "exchange.knowledge.subscribers",
    "exchange.knowledge.tasks",
    "exchange.payments.tasks",
    "exchange.payments.limits",
    "exchange.sessions.tasks",
    "exchange.jobs.service",
    # Registers who of a council may read opened proposals (its evaluation panel) with proposals.sealing.
    "exchange.evaluation.panel",
)


def install() -> None:
    # Every model first, so relationships resolve whichever module a job touches.
    importlib.import_module("exchange.models")
    for module in LISTENERS_AND_JOBS:
        importlib.import_module(module)
    events.install()
    events.set_enqueue(queue.enqueue)
