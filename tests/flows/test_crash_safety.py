"""SIGKILL a run while it plans and writes shards, on a pool of two shard workers
(the shard failpoints fire in a worker), or at moments of its wall time: readers keep
seeing the last complete state, and a re-run ends where the run left alone ends."""

from __future__ import annotations

import pytest

from tests.flows.crash_corpus import (
    SHARD_FAILPOINTS,
    TIMED_FRACTIONS,
    assert_states_differ,
    build_corpus,
    kill_and_recover,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, prefect_api):
    return build_corpus(tmp_path_factory, workers=2)


@pytest.mark.slow
@pytest.mark.parametrize("name", SHARD_FAILPOINTS)
def test_kill_at_failpoint_then_recover(corpus, name):
    kill_and_recover(corpus, name, env_extra={"NEWSETL_FAILPOINT": name})


@pytest.mark.slow
@pytest.mark.parametrize("fraction", TIMED_FRACTIONS)
def test_kill_at_a_moment_then_recover(corpus, fraction):
    kill_and_recover(corpus, f"timed-{fraction}", kill_after=corpus["full_run_seconds"] * fraction)


def test_states_differ(corpus):
    assert_states_differ(corpus)
