"""Notebook 07 under papermill with another calibration end: its records equal the library's."""
from __future__ import annotations

from pathlib import Path

import pytest

from aftersales.course.customers_notebook import recorded_figures
from aftersales.course.exercises import read_records
from aftersales.customers import customer_report, load_cdnow

NB = Path(__file__).resolve().parents[2] / "notebooks" / "07_real_customers.ipynb"


@pytest.mark.slow
def test_papermill_other_calibration_end_records_the_library_figures(tmp_path):
    import papermill as pm

    out = pm.execute_notebook(str(NB), str(tmp_path / "07.ipynb"), parameters={"calibration_end": "1997-12-31"},
                              kernel_name="python3", cwd=str(NB.parent), progress_bar=False, start_timeout=120)
    recs = [r for r in read_records(out)["figures"] if r.get("notebook") == "07_real_customers"]
    assert len(recs) == 1
    expected = recorded_figures(customer_report(load_cdnow("master"), "1997-12-31", "W"))
    for k, v in recs[0]["figures"].items():
        assert v == pytest.approx(expected[k], rel=1e-9), k
    assert recs[0]["extra"]["calibration_end"] == "1997-12-31"
    checks = read_records(out)["checks"]          # the hidden solutions' checks, one record each
    assert sum(c.get("verdict") == "right" for c in checks) == 4, checks


@pytest.mark.slow
def test_invalid_calibration_end_stops_at_the_validation_cell(tmp_path):
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as exc:
        pm.execute_notebook(str(NB), str(tmp_path / "07.ipynb"), parameters={"calibration_end": "1999-01-01"},
                            kernel_name="python3", cwd=str(NB.parent), progress_bar=False, start_timeout=120)
    assert exc.value.ename == "ParameterError" and "calibration_end" in exc.value.evalue
