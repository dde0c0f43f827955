"""Reading evidence documents: the text of every page and the fields each kind of document carries.

Reading is pure: a file in, a ``Reading`` out, nothing stored. Storing readings, showing them to
sellers and comparing them with what was typed are the callers' business.
"""

from sellers.documents.reader import read_document

__all__ = ["read_document"]
