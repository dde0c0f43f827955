"""The forensics check against the generated corpus of hostile files and clean look-alikes:
every hostile variant fails with an explanation that names its problem, every clean one
passes."""

import pytest

from reviews.checks import evidence_forensics
from tests.reviews.checks.hostile_files import corpus
from tests.reviews.checks.test_forensics import _with_files

SAMPLES = corpus()


def test_the_corpus_is_large_and_has_clean_controls():
    outcomes = [sample.outcome for sample in SAMPLES]

    assert len(SAMPLES) >= 40
    assert outcomes.count("pass") >= 12
    assert len({sample.id for sample in SAMPLES}) == len(SAMPLES)


@pytest.mark.parametrize("sample", SAMPLES, ids=[sample.id for sample in SAMPLES])
def test_the_check_reads_each_file_as_a_viewer_would(seller_a, settings, sample):
    settings.EVIDENCE_SCANNER = ""
    application = _with_files(seller_a, (sample.name, sample.data, sample.detected_type))

    finding = evidence_forensics.run(application)

    assert finding.outcome == sample.outcome, finding.explanation
    if sample.outcome == "pass":
        assert "active_content" not in finding.evidence["files"][0]
        assert "markup" not in finding.evidence["files"][0]
    for words in sample.mentions:
        assert f"{sample.name}" in finding.explanation
        assert words in finding.explanation
