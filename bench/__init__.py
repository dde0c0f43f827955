"""`make bench`: a data set at scale, the measurements, and their report.

Not part of the test suite's timing: ``python -m bench`` builds (or reuses) the data set in the
database named by ``DATABASE_URL`` and measures the running code against it.
"""
