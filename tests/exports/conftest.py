"""The exports tests use the evaluation tests' need, proposals and evaluators."""

from tests.evaluation.conftest import evaluation as evaluation
from tests.proposals.conftest import world as world
