"""Evaluation: a council's evaluators score its shortlisted proposals, moderate the scores, and record the outcome."""
