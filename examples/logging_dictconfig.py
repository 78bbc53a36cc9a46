"""Redact every stdlib log record with ``dictConfig``: text to stderr, JSON to stdout.

Run it with ``python examples/logging_dictconfig.py``: it logs a few records
that carry fake secrets (made up at run time) in the message, the arguments,
``extra=`` fields and an exception, and both handlers print them redacted.
The ``LOGGING`` dict is the recipe from ``docs/logging.md``.
"""

from __future__ import annotations

import logging
import logging.config

from redactlog.testing import sample_secrets

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "redactlog.RedactingFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "text",
            "filters": ["redact"],
        },
        "json": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["redact"],
        },
    },
    "root": {"level": "INFO", "handlers": ["console", "json"]},
}


def charge(token: str) -> None:
    msg = f"token {token} expired"
    raise PermissionError(msg)


def main() -> None:
    logging.config.dictConfig(LOGGING)
    secrets = sample_secrets()
    log = logging.getLogger("shop.checkout")

    log.info("order placed by %s, phone %s", secrets["email"], secrets["phone"])
    log.info("calling the API", extra={"headers": {"Authorization": f"Bearer {secrets['github_token']}"}})
    logging.LoggerAdapter(log, {"customer_ssn": secrets["us_ssn"]}).warning("identity check pending")
    try:
        charge(secrets["jwt"])
    except PermissionError:
        log.exception("payment failed")


if __name__ == "__main__":
    main()
