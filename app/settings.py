"""One Settings object, read from the environment (and .env) once."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'coop.db'}",
        description="SQLAlchemy URL; sqlite:///path or postgresql+psycopg://...",
    )
    seed_dir: Path = PROJECT_ROOT / "seed"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=5, ge=0)
    db_pool_timeout_s: float = Field(default=5.0, gt=0)
    db_statement_timeout_ms: int = Field(
        default=5000,
        ge=0,
        description="A request's statement running longer is cancelled (a 503), on both engines; 0: never. "
        "The command line's migrations, loads and exports run without it.",
    )
    db_connect_timeout_s: int = Field(default=3, ge=1)
    cors_allow_origins: list[str] = Field(
        default_factory=lambda: ["*"],
        description='Origins allowed to read the API from a browser (JSON list); "*": any (public read-only data).',
    )
    keep_alive_timeout_s: int = Field(default=5, ge=1, description="Idle keep-alive connections are closed.")
    request_head_timeout_s: float = Field(default=10, gt=0, description="To send a request's line and headers.")
    send_stall_timeout_s: float = Field(default=30, gt=0, description="A client not reading a response is cut off.")
    graceful_shutdown_timeout_s: int = Field(default=10, ge=1, description="Longest wait for requests on shutdown.")
    max_url_bytes: int = Field(default=8 * 1024, ge=256, description="Longer path + query: 414.")
    max_header_bytes: int = Field(default=16 * 1024, ge=1024, description="Larger request headers: 431.")
    cache_max_age_s: int = Field(default=60, ge=0)
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="A larger write body (a document's text included): 413."
    )
    auth_failure_limit: int = Field(
        default=10, ge=1, description="Failed authentications one client may make in auth_failure_window_s; then 429."
    )
    auth_failure_window_s: float = Field(default=60, gt=0)
    search_rank_window: int = Field(
        default=5_000,
        ge=1,
        description="/search ranks at most this many matching entries, the most recently loaded; a term "
        "matching more is ranked within that window and the response says so. Ranking costs 1-10 us a "
        "match: 5,000 keeps it near 20-50 ms on the benchmark machine.",
    )
    stock_paths: bool = Field(
        default=False,
        description="Serve every request the stock way: FastAPI's own routing and dependency solving "
        "instead of DirectRoute, SQLAlchemy's ordinary execution instead of the DBAPI shortcut. Slower; "
        "for bisecting a framework upgrade (docs/UPGRADING.md).",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
