"""The Sphinx extension warns when a statement with verification results shows no box."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from deepqed import sphinxext


def _warnings(env, caplog):
    app = SimpleNamespace(env=SimpleNamespace(path2doc=lambda p: "feedforward/index"))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        sphinxext._check_boxes(app, env)
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_statement_without_its_box_is_a_warning(caplog):
    row = {"kind": "theorem", "path": "book/feedforward/index.md", "line": 7}
    env = SimpleNamespace(deepqed_results={"thm-a": [row], "thm-b": [row]})
    sphinxext._env_purge_doc(None, env, "x")  # creates the per-document table
    sphinxext._boxed(env)["feedforward/index"] = {"thm-a"}
    messages = _warnings(env, caplog)
    assert len(messages) == 1 and "'thm-b'" in messages[0] and "no statement node" in messages[0]
    sphinxext._boxed(env)["other"] = {"thm-b"}
    assert _warnings(env, caplog) == []
    sphinxext._env_purge_doc(None, env, "other")  # a re-read document starts afresh
    assert len(_warnings(env, caplog)) == 1
