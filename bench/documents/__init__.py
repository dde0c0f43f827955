"""Labelled evidence documents for measuring the document reader, made here from a seed.

Trademark registration certificates (CNIPA, USPTO, EUIPO), business licences (Chinese and an
English translation), letters of authorization, quality certificates (ISO 9001, CCC, CE) and
test reports, in Chinese and English, as clean scans or as photos taken at an angle, saved as
text PDFs, image-only PDFs, PNG or JPEG. Every party, brand and number is invented. Each
document comes with its true field values (named as in ``sellers.documents.reading``), the
values an application would expect, and its defect: ``other_number``, ``other_owner``,
``expired`` (relative to the sample's ``reference_date``), ``unreadable``, or none.

Labels in ``labels.json``, one object per file: ``name``, ``kind``, ``template``, ``language``
(zh, en), ``variant`` (scan, photo), ``file_type`` (pdf_text, pdf_scan, png, jpeg), ``fields``
(empty for an unreadable page), ``printed`` (each field as the page shows it, e.g. a date as
2021年03月04日 or Mar. 04, 2021), ``defect``, ``expected``, ``reference_date``, ``render_seed``,
``extra`` (wording drawn that is no field) and ``boxes`` (where each field is, as fractions of
the picture, shaped like the reader's ``Box``).

The same seed makes byte-identical files (with the pinned Pillow, fpdf2 and fontTools and the
same installed fonts). To regenerate the set::

    python -m bench.documents --seed 1 --count 240 --out var/documents

which writes the files and ``labels.json``. From Python: ``generate(seed, count)`` gives the
samples, ``render(sample)`` one file's bytes, ``field_boxes(sample)`` where its fields are,
``write_set(samples, directory)`` all of it.
Fonts come from the Debian packages ``fonts-noto-cjk`` and ``fonts-dejavu-core``.
"""

from bench.documents.files import write_set
from bench.documents.render import field_boxes, render
from bench.documents.samples import REFERENCE_DATE, Sample, generate

__all__ = ["REFERENCE_DATE", "Sample", "field_boxes", "generate", "render", "write_set"]
