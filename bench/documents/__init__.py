"""Labelled evidence documents for measuring the document reader, made here from a seed.

Trademark registration certificates (CNIPA, USPTO, EUIPO), business licences (Chinese and an
English translation), letters of authorization, quality certificates (ISO 9001, CCC, CE) and
test reports, in Chinese and English, as clean scans or as photos taken at an angle, saved as
text PDFs, image-only PDFs, PNG or JPEG. Every party, brand and number is invented. Each
document comes with its true field values (named as in ``sellers.documents.reading``), the
values an application would expect, and its defect: ``other_number``, ``other_owner``,
``expired`` (relative to the sample's ``reference_date``), ``unreadable``, or none.

The same seed makes byte-identical files. To regenerate the set::

    python -m bench.documents --seed 1 --count 240 --out var/documents

which writes the files and ``labels.json``. From Python: ``generate(seed, count)`` gives the
samples, ``render(sample)`` one file's bytes, ``write_set(samples, directory)`` both.
Fonts come from the Debian packages ``fonts-noto-cjk`` and ``fonts-dejavu-core``.
"""

from bench.documents.files import write_set
from bench.documents.render import render
from bench.documents.samples import REFERENCE_DATE, Sample, generate

__all__ = ["REFERENCE_DATE", "Sample", "generate", "render", "write_set"]
