"""SIGKILL a run while it publishes the snapshot and loads DuckDB (shards inline, one
process): readers keep seeing the last complete state, and a re-run ends where the run
left alone ends.  The moments before publishing are in test_crash_safety.py."""

from __future__ import annotations

import pytest

from tests.flows.crash_corpus import PUBLISH_FAILPOINTS, assert_states_differ, build_corpus, kill_and_recover


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, prefect_api):
    return build_corpus(tmp_path_factory, workers=1)


@pytest.mark.slow
@pytest.mark.parametrize("name", PUBLISH_FAILPOINTS)
def test_kill_at_failpoint_then_recover(corpus, name):
    kill_and_recover(corpus, name, env_extra={"NEWSETL_FAILPOINT": name})


def test_states_differ(corpus):
    assert_states_differ(corpus)
