"""The many-marks similarity run (`python -m bench --marks N`) at a tiny size."""

import json

from bench import marks
from bench.dataset import MARK_SOURCE
from reviews.models import ReferenceMark
from reviews.similarity.labelled import labelled_scores


def test_marks_run_builds_measures_and_reuses(transactional_db, tmp_path):
    figures = marks.marks_run(2000, log=lambda line: None, queries=10, index_dir=tmp_path)

    # The marks are there, beside the well-known list, and the search saw them all.
    assert ReferenceMark.objects.filter(source=MARK_SOURCE).count() == 2000
    assert figures["similarity_marks_2k"] == ReferenceMark.objects.count() > 2000
    assert figures["similarity_queries_2k"] == 10
    assert figures["marks_built"] == 1
    assert figures["marks_build_s_2k"] > 0
    assert figures["similarity_p50_ms_2k"] <= figures["similarity_p95_ms_2k"]
    assert figures["similarity_speedup_vs_scan_2k"] > 0
    # The search with PostgreSQL's trigram index alone, beside it, found the same marks.
    assert figures["similarity_pg_trgm_p50_ms_2k"] <= figures["similarity_pg_trgm_p95_ms_2k"]
    assert figures["similarity_same_matches_2k"] == 10
    assert (figures["similarity_precision_2k"], figures["similarity_recall_2k"]) == (
        labelled_scores().precision,
        labelled_scores().recall,
    )
    # The trigram index file, built in the run, holds every distinct skeleton.
    assert figures["trigram_file_skeletons_2k"] == (
        ReferenceMark.objects.values("skeleton").distinct().count()
    )
    size = (tmp_path / "marks-2k.trgm").stat().st_size
    assert figures["trigram_file_mb_2k"] == round(size / 1024 / 1024, 1)
    # Index sizes as PostgreSQL reports them: the trigram index among them, all within the total.
    each = {k: v for k, v in figures.items() if k.startswith("marks_index_mb_2k_")}
    assert "marks_index_mb_2k_reference_mark_skeleton_trgm" in each
    assert figures["marks_index_mb_2k"] <= figures["marks_table_mb_2k"]

    # A second run finds the same marks and reports the build time recorded with them.
    again = marks.marks_run(2000, log=lambda line: None, queries=10, index_dir=tmp_path)
    assert again["marks_built"] == 0
    assert again["marks_build_s_2k"] == figures["marks_build_s_2k"]
    assert ReferenceMark.objects.filter(source=MARK_SOURCE).count() == 2000

    # Another count rebuilds, leaving the well-known list as it was.
    well_known = ReferenceMark.objects.exclude(source=MARK_SOURCE).count()
    other = marks.marks_run(1500, log=lambda line: None, queries=5, index_dir=tmp_path)
    assert other["marks_built"] == 1
    assert ReferenceMark.objects.filter(source=MARK_SOURCE).count() == 1500
    assert ReferenceMark.objects.exclude(source=MARK_SOURCE).count() == well_known

    marks.report_write(figures, tmp_path / "marks.json", tmp_path / "marks.md", tmp_path)
    assert json.loads((tmp_path / "marks.json").read_text()) == figures
    table = (tmp_path / "marks.md").read_text()
    for name in marks.FIGURES:
        assert f"| `{name}_2k` | {figures[name + '_2k']} |" in table
    assert "| `reference_mark_skeleton_trgm` |" in table


def test_figure_names_carry_the_size():
    assert [marks.suffix(n) for n in (10_000_000, 2000, 1500, 999)] == ["10m", "2k", "1500", "999"]
