"""One typed settings module: the environment first, then `.env`, then the default.

Every setting is listed in `docs/settings.md`; a test keeps the two in step.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from starlette.config import Config
from starlette.datastructures import Secret

from config.errors import ConfigError
from config.served import derived_public_url, recorded_public_url

ENVIRONMENTS = ("development", "production", "test")


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ocop-connect"


@dataclass(frozen=True)
class Settings:
    """The platform's settings, read once at start-up."""

    env: str
    var_dir: Path
    database_url: str
    meili_url: str | None
    meili_master_key: Secret | None
    meili_bin: Path | None
    meili_cache_dir: Path
    meili_data_dir: Path
    secret_key: Secret
    host: str
    port: int
    web_workers: int
    media_dir: Path
    session_max_age: int
    session_lifetime: int
    max_body_bytes: int
    default_language: str
    log_level: str
    search_index_prefix: str = "ocop"
    meili_search_key: Secret | None = None
    public_url: str = "http://127.0.0.1:8000"
    public_url_set: bool = False
    shutdown_grace_seconds: int = 10
    secure_cookies: bool = False
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: Secret | None = None
    smtp_from: str = "OCOP Connect <no-reply@ocop.local>"
    smtp_starttls: bool = False
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    login_address_max_failures: int = 100
    dev_mailbox: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def embedded_meili(self) -> bool:
        """True when the platform starts and supervises its own Meilisearch."""
        return self.meili_url is None

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def cookies_secure(self) -> bool:
        """Production always marks cookies Secure, whatever SECURE_COOKIES says."""
        return self.secure_cookies or self.production

    @property
    def uses_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))


def load_settings(env_file: str | Path = ".env") -> Settings:
    """Read the settings; raise ConfigError naming the setting that is wrong."""
    config = Config(env_file if Path(env_file).is_file() else None)
    try:
        env = config("OCOP_ENV", cast=str, default="development")
        var_dir = Path(config("OCOP_VAR_DIR", cast=str, default="var")).absolute()
        host = config("HOST", cast=str, default="127.0.0.1")
        port = config("PORT", cast=int, default=8000)
        public_url = config("PUBLIC_URL", cast=str, default="").rstrip("/")
        settings = Settings(
            env=env,
            var_dir=var_dir,
            database_url=config(
                "DATABASE_URL", cast=str, default=f"sqlite://{var_dir / 'ocop.sqlite3'}"
            ),
            meili_url=config("MEILI_URL", cast=str, default=None) or None,
            meili_master_key=config("MEILI_MASTER_KEY", cast=Secret, default=None),
            meili_bin=_optional_path(config("MEILI_BIN", cast=str, default=None)),
            meili_cache_dir=Path(
                config("MEILI_CACHE_DIR", cast=str, default=str(_default_cache_dir()))
            ),
            meili_data_dir=Path(
                config("MEILI_DATA_DIR", cast=str, default=str(var_dir / "meili"))
            ).absolute(),
            secret_key=Secret(config("SECRET_KEY", cast=str, default="") or ""),
            host=host,
            port=port,
            web_workers=config("WEB_WORKERS", cast=int, default=1),
            media_dir=Path(config("MEDIA_DIR", cast=str, default=str(var_dir / "media"))),
            session_max_age=config("SESSION_MAX_AGE", cast=int, default=8 * 3600),
            session_lifetime=config("SESSION_LIFETIME", cast=int, default=7 * 24 * 3600),
            max_body_bytes=config("MAX_BODY_BYTES", cast=int, default=12 * 1024 * 1024),
            default_language=config("DEFAULT_LANGUAGE", cast=str, default="vi"),
            log_level=config("LOG_LEVEL", cast=str, default="INFO").upper(),
            search_index_prefix=config("SEARCH_INDEX_PREFIX", cast=str, default="ocop"),
            # Unset: where the running `ocop serve` says it is, else where HOST and PORT point.
            public_url=public_url or recorded_public_url(var_dir) or derived_public_url(host, port),
            public_url_set=bool(public_url),
            shutdown_grace_seconds=config("SHUTDOWN_GRACE_SECONDS", cast=int, default=10),
            meili_search_key=config("MEILI_SEARCH_KEY", cast=Secret, default=None),
            secure_cookies=config("SECURE_COOKIES", cast=bool, default=False),
            smtp_host=config("SMTP_HOST", cast=str, default=None) or None,
            smtp_port=config("SMTP_PORT", cast=int, default=25),
            smtp_username=config("SMTP_USERNAME", cast=str, default=None) or None,
            smtp_password=config("SMTP_PASSWORD", cast=Secret, default=None),
            smtp_from=config("SMTP_FROM", cast=str, default="OCOP Connect <no-reply@ocop.local>"),
            smtp_starttls=config("SMTP_STARTTLS", cast=bool, default=False),
            login_max_failures=config("LOGIN_MAX_FAILURES", cast=int, default=5),
            login_lock_minutes=config("LOGIN_LOCK_MINUTES", cast=int, default=15),
            login_address_max_failures=config("LOGIN_ADDRESS_MAX_FAILURES", cast=int, default=100),
            dev_mailbox=config("DEV_MAILBOX", cast=bool, default=False),
        )
    except ValueError as exc:
        raise ConfigError(f"invalid setting: {exc}") from None
    _check(settings)
    return settings


def _optional_path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _check(settings: Settings) -> None:
    if settings.env not in ENVIRONMENTS:
        raise ConfigError(f"OCOP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {settings.env!r}")
    if not settings.database_url.startswith(("sqlite://", "postgres://", "postgresql://")):
        raise ConfigError("DATABASE_URL must start with sqlite:// or postgres://")
    if not 0 < settings.port < 65536:
        raise ConfigError(f"PORT must be between 1 and 65535, not {settings.port}")
    if settings.shutdown_grace_seconds < 0:
        raise ConfigError("SHUTDOWN_GRACE_SECONDS must not be negative")
    if settings.web_workers < 1:
        raise ConfigError("WEB_WORKERS must be at least 1")
    if settings.default_language not in ("vi", "en"):
        raise ConfigError("DEFAULT_LANGUAGE must be vi or en")
    if not 0 < settings.session_lifetime <= 30 * 24 * 3600:
        raise ConfigError("SESSION_LIFETIME must be between 1 second and 30 days")
    if settings.production and settings.dev_mailbox:
        raise ConfigError("DEV_MAILBOX cannot be used in production")
    # A web worker of `ocop serve --workers N` gets the search-only key alone (search.runtime).
    keyed = settings.meili_master_key or settings.meili_search_key
    if settings.meili_url and settings.env == "production" and not keyed:
        raise ConfigError("MEILI_MASTER_KEY is required with MEILI_URL in production")


def persistent_secret(path: Path, *, nbytes: int = 32) -> str:
    """Read a generated secret from `path`, creating it (mode 0600) on first use."""
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def require_public_url(settings: Settings) -> None:
    """ConfigError when links would point nowhere: production needs PUBLIC_URL."""
    if settings.env == "production" and not settings.public_url_set:
        raise ConfigError(
            "PUBLIC_URL is required in production: the address users reach the platform at, "
            "for links in emails and QR codes"
        )


def session_secret(settings: Settings) -> str:
    """The key that signs session cookies: SECRET_KEY, or one kept under var/."""
    configured = str(settings.secret_key)
    if configured:
        return configured
    if settings.env == "production":
        raise ConfigError("SECRET_KEY is required in production")
    return persistent_secret(settings.var_dir / "secret_key")
