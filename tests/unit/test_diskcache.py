"""The on-disk cache of the book's reading: the same value as a fresh reading, invalidated by an
edit of the sources, and harmless when its folder cannot be used."""

from __future__ import annotations

import os
import pickle
import shutil

from deepqed import _diskcache, registry


def _fresh(root):
    return registry._read(root, registry.configured_witness_package(root))


def test_a_cached_reading_equals_a_fresh_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPQED_CACHE_DIR", str(tmp_path / "cache"))
    root = registry.book_dir()
    registry._load.cache_clear()
    first = registry.load(root)  # computed and stored
    assert list((tmp_path / "cache").glob("registry-*.pickle"))
    registry._load.cache_clear()
    again = registry.load(root)  # read back from disk
    assert again == first == _fresh(root)


def test_an_edited_chapter_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPQED_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "book"
    shutil.copytree(registry.book_dir(), root, ignore=shutil.ignore_patterns("_build"))
    before = registry.load(root)
    chapter = root / before.chapters[0].source
    text = chapter.read_text(encoding="utf-8")
    label = "def-added-by-the-test"
    chapter.write_text(
        text + f"\n\n:::{{prf:definition}} Added\n:label: {label}\n\nA new definition.\n:::\n",
        encoding="utf-8",
    )
    registry._load.cache_clear()
    after = registry.load(root)
    assert label in after.by_label() and label not in before.by_label()
    assert after == _fresh(root)


def test_an_unusable_cache_changes_nothing(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("DEEPQED_CACHE_DIR", str(blocked / "cache"))
    assert _diskcache.cached("t", (1,), lambda: 42, modules=()) == 42
    # a corrupt entry is computed again and replaced
    monkeypatch.setenv("DEEPQED_CACHE_DIR", str(tmp_path / "c"))
    assert _diskcache.cached("t", (1,), lambda: 1, modules=()) == 1
    (entry,) = (tmp_path / "c").glob("t-*.pickle")
    entry.write_bytes(b"\x80 not a pickle")
    assert _diskcache.cached("t", (1,), lambda: 2, modules=()) == 2
    with open(entry, "rb") as f:
        assert pickle.load(f)[1] == 2
    # the key and the code decide: another key is another entry
    assert _diskcache.cached("t", (2,), lambda: 3, modules=()) == 3
    assert _diskcache.cached("t", (1,), lambda: 4, modules=()) == 2
    assert not [p for p in os.listdir(tmp_path / "c") if p.endswith(".tmp")]


def test_old_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPQED_CACHE_DIR", str(tmp_path))
    for k in range(_diskcache.KEEP + 3):
        _diskcache.cached("p", (k,), lambda k=k: k, modules=())
    assert len(list(tmp_path.glob("p-*.pickle"))) == _diskcache.KEEP
