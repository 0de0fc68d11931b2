"""Run settings: limits and parallelism, with documented defaults.

Each can be set on the command line or as an environment variable
``NEWSETL_<NAME>`` (for example ``NEWSETL_MAX_FILE_BYTES=1000000``); the CLI
reads the environment once and passes the object down, nothing else reads it.
"""

from __future__ import annotations

import os

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MiB = 1024 * 1024


class RunSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSETL_", frozen=True)

    max_file_bytes: int = Field(64 * MiB, description="a .txt/.html file or a compressed .jsonl.gz larger than this is quarantined")
    max_record_bytes: int = Field(16 * MiB, description="a JSONL line or document larger than this is quarantined")
    max_decompressed_bytes: int = Field(4096 * MiB, description="a .gz expanding past this is quarantined (gzip bombs)")
    max_quarantine_payload: int = Field(1 * MiB, description="bytes of a quarantined input kept in quarantine.payload")
    shard_docs: int = Field(
        2000,
        description="documents' worth of work per shard (one task, one Parquet file per table); "
        "an HTML page weighs 1 more per 40 KB; a smaller run is cut into at least two shards per worker",
    )
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, description="worker processes for shards")
    template_min_docs: int = Field(3, description="a line must repeat in this many documents of a publisher to be template")
