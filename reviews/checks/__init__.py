"""Screening checks. Each module exposes CODE, TITLE and ``run(application) -> Finding``.

A check reads the application and its reference data and explains its verdict in words a
reviewer can act on; it never writes. Storing and scoring the findings is screening.py's job.
"""

from reviews.checks import registration_numbers, trademark_coverage

CHECKS = (registration_numbers, trademark_coverage)
