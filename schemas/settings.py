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


#: Environment variables of ours that are not run settings.
OTHER_ENVIRONMENT = {
    "NEWSETL_BENCHMARKS": "where bench/ finds ../shared/benchmarks",
    "NEWSETL_FAILPOINT": "tests only: crash at a named point of a run",
}


class RunSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSETL_", frozen=True)

    max_file_bytes: int = Field(
        ge=1,
        default=64 * MiB,
        description="a .txt/.html file or a compressed .jsonl.gz larger than this is quarantined",
    )
    max_record_bytes: int = Field(
        ge=1, default=16 * MiB, description="a JSONL line or document larger than this is quarantined"
    )
    max_decompressed_bytes: int = Field(
        ge=1, default=4096 * MiB, description="a .gz expanding past this is quarantined (gzip bombs)"
    )
    max_quarantine_payload: int = Field(
        ge=0, default=1 * MiB, description="bytes of a quarantined input kept in quarantine.payload"
    )
    max_quarantine_payload_per_file: int = Field(
        16 * MiB,
        description="payload bytes kept in quarantine per input file; past it, rows keep their reason and "
        "location but no payload (payload_truncated = true)",
    )
    shard_docs: int = Field(
        2000,
        ge=1,
        description="documents' worth of work per shard (one task, one Parquet file per table); "
        "an HTML page weighs 1 more per 40 KB; a smaller run is cut into at least two shards per worker",
    )
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, description="worker processes for shards")
    snapshot_grace_seconds: float = Field(
        3600,
        ge=0,
        description="a superseded Parquet snapshot stays readable this long (the previous one always)",
    )
    template_min_docs: int = Field(
        3, description="a line must repeat in this many documents of a publisher to be template"
    )


def settings_help() -> str:
    """One line per setting, for ``newsetl run --help``."""
    lines = []
    for name, field in RunSettings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        lines.append(f"NEWSETL_{name.upper()} (default {default}): {field.description}")
    return "\n".join(lines)


def unknown_environment(environ: dict[str, str]) -> list[str]:
    """``NEWSETL_*`` variables that name no setting: a typo is silently ignored otherwise."""
    known = {f"NEWSETL_{name.upper()}" for name in RunSettings.model_fields} | set(OTHER_ENVIRONMENT)
    return sorted(name for name in environ if name.upper().startswith("NEWSETL_") and name.upper() not in known)
