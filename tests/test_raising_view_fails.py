"""The suite's own guard: a view that raises while following a change fails the test that made it."""

from __future__ import annotations

import os

import pytest

from tests.conftest import ROOT

RAISING_VIEW = """
from workshop.domain.model.document import Document
from workshop.domain.model.operations import add
from workshop.domain.model.process import ProcessModel
from workshop.domain.model.session import new_session


def test_a_change_whose_view_breaks() -> None:
    document = Document(new_session("t"))

    def broken_view(record: object) -> None:
        raise RuntimeError("the view fell over")

    document.subscribe(broken_view)
    document.apply(add(ProcessModel(id="m", name="M", state="current")))
    assert "m" in document.session.models  # the change itself is recorded
"""


def test_a_deliberately_raising_view_fails_its_test(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_view=RAISING_VIEW)
    pytester.syspathinsert(ROOT)
    # the inner run imports this checkout's code, whichever checkout the installed package points at
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1, errors=1)  # the test body passes; its teardown fails it
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*a view raised while following a change*", "*RuntimeError: the view fell over*"])
