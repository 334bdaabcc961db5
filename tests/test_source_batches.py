"""Stable batches of sources (scripts/source_batches.py): a source's batch depends on its id alone."""

import hashlib
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from source_batches import batch_of, group

ROOT = Path(__file__).resolve().parents[1]
IDS = [f"report-{n:04d}" for n in range(2000)] + ["重慶-note", "a", "Chongqing Press Release"]


def test_a_batch_is_fixed_by_the_id_alone_and_in_range():
    for batches in (1, 7, 32, 100):
        names = {f"b{n:0{len(str(batches - 1))}d}" for n in range(batches)}
        for source_id in IDS:
            assert batch_of(source_id, batches) == batch_of(source_id, batches) in names


def test_the_batch_is_the_documented_hash_not_python_s_salted_hash():
    # README: the first 8 bytes of the SHA-256 of the id, as a number, modulo the number of batches
    # (Python's hash() of a str changes from one process to the next).
    for source_id in ("seed", "重慶新聞", "x y"):
        digest = int.from_bytes(hashlib.sha256(source_id.encode("utf-8")).digest()[:8], "big")
        assert batch_of(source_id, 32) == f"b{digest % 32:02d}"
    other = subprocess.run([sys.executable, "-c", "import source_batches; print(source_batches.batch_of('seed', 32))"],
                           cwd=ROOT / "scripts", capture_output=True, text=True, timeout=60, check=True)
    assert other.stdout.strip() == batch_of("seed", 32)


def test_sources_spread_over_the_batches():
    sizes = Counter(batch_of(source_id, 32) for source_id in IDS)
    assert len(sizes) == 32
    assert max(sizes.values()) < 2 * len(IDS) / 32  # no batch holds twice its share


def test_adding_sources_moves_no_existing_source():
    before = group(IDS[:1000], 32)
    after = group(IDS, 32)
    for batch, members in before.items():
        assert set(members) <= set(after[batch])


def test_group_lists_only_batches_that_hold_a_source_sorted():
    grouped = group(["b", "a", "c"], 32)
    assert sorted(s for members in grouped.values() for s in members) == ["a", "b", "c"]
    assert list(grouped) == sorted(grouped) and all(members == sorted(members) for members in grouped.values())
    assert group([], 32) == {}


@pytest.mark.parametrize("bad", [0, -3])
def test_fewer_than_one_batch_is_refused(bad):
    with pytest.raises(ValueError, match="at least 1"):
        batch_of("x", bad)


def test_the_command_prints_each_ids_batch():
    shown = subprocess.run([sys.executable, str(ROOT / "scripts/source_batches.py"), "--batches", "8", "one", "two"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    assert shown.stdout == f"one\t{batch_of('one', 8)}\ntwo\t{batch_of('two', 8)}\n"
    refused = subprocess.run([sys.executable, str(ROOT / "scripts/source_batches.py"), "--batches", "0", "x"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "at least 1" in refused.stderr
