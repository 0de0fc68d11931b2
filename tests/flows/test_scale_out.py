"""Scale-out: the same flow on a local process pool and on a Dask cluster, and
S3-compatible object storage."""

from __future__ import annotations

import os
import socket

import pytest

from tests.conftest import SEEDS, query
from warehouse.layout import band_index_dir

COMPARED = {
    "documents": "source_id, title, n_paragraphs, n_quotes, n_removed_lines",
    "paragraphs": "d.source_id, p.ordinal, p.kind, p.text",
    "quotes": "d.source_id, q.paragraph_ordinal, q.text, q.speaker_name, q.kind",
    "removed_lines": "d.source_id, r.line_no, r.rule",
}
JOINED = {
    "documents": "documents d",
    "paragraphs": "paragraphs p JOIN documents d USING (doc_id)",
    "quotes": "quotes q JOIN documents d USING (doc_id)",
    "removed_lines": "removed_lines r JOIN documents d USING (doc_id)",
}


def _state(data_dir) -> dict[str, list]:
    return {t: sorted(query(data_dir, f"SELECT {cols} FROM {JOINED[t]}")) for t, cols in COMPARED.items()}


def test_local_pool_gives_the_same_tables(prefect_api, tmp_path):
    """Shards in a pool of worker processes (the default on a machine with several
    cores) or inline in the run's process (NEWSETL_WORKERS=1, as in these tests)."""
    from flows.pipeline import newsetl_flow
    from schemas.settings import RunSettings

    inline_dir, pool_dir = tmp_path / "inline", tmp_path / "pool"
    newsetl_flow([str(SEEDS)], data_dir=str(inline_dir), settings=RunSettings(shard_docs=1, workers=1))
    summary = newsetl_flow([str(SEEDS)], data_dir=str(pool_dir), settings=RunSettings(shard_docs=1, workers=2))
    assert summary.shards == 2 and summary.processed == 2
    assert _state(pool_dir) == _state(inline_dir)


@pytest.mark.slow
def test_dask_cluster_gives_the_same_tables(prefect_api, tmp_path):
    from distributed import LocalCluster
    from prefect_dask import DaskTaskRunner

    from flows.pipeline import newsetl_flow
    from schemas.settings import RunSettings

    settings = RunSettings(shard_docs=1, workers=1)  # two shards for two seeds
    local_dir = tmp_path / "local"
    newsetl_flow([str(SEEDS)], data_dir=str(local_dir), settings=settings)

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = newsetl_flow.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
        dask_dir = tmp_path / "dask"
        summary = on_dask([str(SEEDS)], data_dir=str(dask_dir), settings=settings, local_pool=False)
        workers_used = {w for w in cluster.scheduler.workers}
    assert summary.shards == 2 and summary.processed == 2
    assert len(workers_used) == 2
    assert _state(dask_dir) == _state(local_dir)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_s3_inputs_and_parquet(prefect_api, tmp_path, monkeypatch):
    """Read inputs from and publish Parquet to a local S3-compatible server (moto)."""
    import pyarrow.dataset as ds
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        for key, value in {
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        }.items():
            monkeypatch.setenv(key, value)
        from warehouse.storage import s3_filesystem

        s3_filesystem.cache_clear()
        import boto3

        boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}").create_bucket(Bucket="news")
        fs = s3_filesystem()
        for seed in SEEDS.iterdir():
            with fs.open_output_stream(f"news/in/{seed.name}") as out:
                out.write(seed.read_bytes())

        from flows.pipeline import newsetl_flow

        data_dir = tmp_path / "data"
        summary = newsetl_flow(["s3://news/in/"], data_dir=str(data_dir), parquet_uri="s3://news/out")
        assert summary.processed == 2 and summary.quarantined == 0
        sources = sorted(r[0] for r in query(data_dir, "SELECT source_id FROM documents"))
        assert sources == sorted(f"s3://news/in/{seed.name}" for seed in SEEDS.iterdir())

        remote = ds.dataset("news/out/paragraphs", filesystem=fs, format="parquet")
        assert remote.count_rows() == query(data_dir, "SELECT count(*) FROM paragraphs")[0][0]
        with fs.open_input_stream("news/out/_current.json") as handle:
            assert summary.run_id in handle.read().decode()
        # the snapshot's band index is mirrored with its tables
        import pyarrow.fs as pafs

        local_index = sorted(os.listdir(band_index_dir(os.path.realpath(data_dir / "parquet"))))
        remote_index = fs.get_file_info(pafs.FileSelector("news/out/band_index"))
        assert local_index and sorted(os.path.basename(info.path) for info in remote_index) == local_index

        # a re-run skips the unchanged objects and leaves the mirror whole
        again = newsetl_flow(["s3://news/in/"], data_dir=str(data_dir), parquet_uri="s3://news/out")
        assert (again.processed, again.skipped) == (0, 2)
        assert ds.dataset("news/out/paragraphs", filesystem=fs, format="parquet").count_rows() == remote.count_rows()
    finally:
        server.stop()
        from warehouse.storage import s3_filesystem

        s3_filesystem.cache_clear()
