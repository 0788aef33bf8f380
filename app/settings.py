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
    db_statement_timeout_ms: int = Field(default=5000, ge=0)
    db_connect_timeout_s: int = Field(default=3, ge=1)
    cors_allow_origins: list[str] = Field(default_factory=lambda: ["*"])
    cache_max_age_s: int = Field(default=60, ge=0)


@lru_cache
def get_settings() -> Settings:
    return Settings()
