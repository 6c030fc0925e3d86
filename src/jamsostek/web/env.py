"""Settings from the environment through strict, typed helpers (nothing read at import time
except by ``settings.py`` itself)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Per connection: the province-wide aggregations (bills per payer, memberships per district) sort
# and hash a few hundred thousand groups, which spill to disk with PostgreSQL's 4 MB default
# (twice as slow); their queries are short, so JIT compilation costs more than it saves.
_POSTGRES_OPTIONS = "-c work_mem=64MB -c jit=off"


def database_from_url(url: str) -> dict[str, Any]:
    """``sqlite:///path/db.sqlite3`` or ``postgres://user:pass@host:port/name`` -> DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if url.startswith("sqlite:////"):
            path = "/" + path.lstrip("/")
        elif path.startswith("/"):
            path = path[1:]
        if not path:
            raise ImproperlyConfigured(f"DATABASE_URL has no SQLite file: {url!r}")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": _SQLITE_PRAGMAS},
        }
    if parts.scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL has no database name: {url!r}")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"options": _POSTGRES_OPTIONS},
        }
    raise ImproperlyConfigured(f"DATABASE_URL must start with sqlite:// or postgres://, got {url!r}")


_SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
# Both databases keep a server thread's connection for a minute (``CONN_MAX_AGE``): opened anew for
# every request, SQLite ran these pragmas and read the schema each time, and the dashboard API
# served 239 requests/s instead of 347 (p95 121 ms -> 94 ms; docs/performance.md).


def secret_key(data_dir: Path) -> str:
    """JAMSOSTEK_SECRET_KEY, or a random key kept in the data directory (made on first use)."""
    configured = os.environ.get("JAMSOSTEK_SECRET_KEY")
    if configured:
        return configured
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text("utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key, "utf-8")
    path.chmod(0o600)
    return key
