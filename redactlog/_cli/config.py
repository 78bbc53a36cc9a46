"""Settings for the command line: defaults, then a config file, then options.

A config file is TOML: either ``redactlog.toml`` (keys at the top level) or the
``[tool.redactlog]`` table of a ``pyproject.toml``. The pseudonym key itself is
never read from a file that might be committed: the file names the environment
variable that holds it (``key_env``).
"""

from __future__ import annotations

import base64
import binascii
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from redactlog import (
    DEFAULT_SENSITIVE_KEYS,
    ConfigurationError,
    FixedMask,
    LabelMask,
    Mask,
    PartialMask,
    PseudonymMask,
    Redactor,
    default_detectors,
)

__all__ = [
    "DEFAULT_KEY_ENV",
    "FORMATS",
    "MASKS",
    "ConfigError",
    "Settings",
    "build_redactor",
    "find_config",
    "load_config",
    "resolve_key",
]

FORMATS = ("auto", "text", "jsonl")
"""Input formats: ``text`` redacts each line as text; ``jsonl`` and ``auto`` parse JSON lines."""

MASKS = ("label", "fixed", "partial", "pseudonym")
"""Masking policies by name."""

DEFAULT_KEY_ENV = "REDACTLOG_PSEUDONYM_KEY"
"""Environment variable that holds the pseudonym key unless ``key_env`` names another."""

HIDDEN = "<hidden>"
"""Shown instead of a configuration value that might be a secret."""

_LIST_KEYS = ("disable", "only", "sensitive_keys")


class ConfigError(Exception):
    """A config file or option is invalid; the message names the offending key."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a worker needs to build its redactor and process files.

    Frozen and picklable, so ``-j N`` workers get an identical copy.
    """

    format: str = "auto"
    only: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    mask: str = "label"
    mask_text: str = "[REDACTED]"
    keep: int = 4
    masks: tuple[tuple[str, str], ...] = ()
    key_env: str = DEFAULT_KEY_ENV
    key_id: str = "k1"
    sensitive_keys: tuple[str, ...] = ()
    max_line_bytes: int = 1_000_000
    # Resolved from the environment by the parent process; never shown in a repr.
    key: bytes | None = field(default=None, repr=False)

    def with_options(self, options: Mapping[str, object]) -> Settings:
        """Return a copy with the options that were given (not ``None``) applied."""
        given = {name: value for name, value in options.items() if value is not None}
        return _validated(replace(self, **given)) if given else self  # type: ignore[arg-type]  # checked by argparse

    def uses_pseudonyms(self) -> bool:
        """Return whether any kind is masked with keyed pseudonyms."""
        return self.mask == "pseudonym" or any(policy == "pseudonym" for _, policy in self.masks)


def find_config(cwd: Path) -> Path | None:
    """Return the config file of directory *cwd*, if it has one.

    ``redactlog.toml`` wins; a ``pyproject.toml`` counts only when it has a
    ``[tool.redactlog]`` table (so unrelated projects are not misread).
    """
    own = cwd / "redactlog.toml"
    if own.is_file():
        return own
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return pyproject  # let load_config report the problem with its name
        if isinstance(data.get("tool"), dict) and "redactlog" in data["tool"]:
            return pyproject
    return None


def load_config(path: Path, base: Settings | None = None) -> Settings:
    """Read *path* and return *base* updated with its settings.

    Raises:
        ConfigError: When the file is missing, unreadable, not TOML, or holds
            an unknown key or a value of the wrong type.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"config file {str(path)!r} does not exist"
        raise ConfigError(msg) from None
    except (OSError, UnicodeDecodeError) as error:
        msg = f"cannot read config file {str(path)!r}: {getattr(error, 'strerror', None) or error}"
        raise ConfigError(msg) from None
    except tomllib.TOMLDecodeError as error:
        msg = f"config file {str(path)!r} is not valid TOML: {error}"
        raise ConfigError(msg) from None
    where = str(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("redactlog", {}) if isinstance(tool, dict) else {}
        where = f"{path} [tool.redactlog]"
        if not isinstance(data, dict):
            msg = f"{where}: must be a table"
            raise ConfigError(msg)
    return _from_mapping(data, base or Settings(), where)


def _from_mapping(data: Mapping[str, object], base: Settings, where: str) -> Settings:
    values: dict[str, object] = {}
    for key, value in data.items():
        if key == "key":
            msg = f"{where}: key 'key' ({HIDDEN}): never store the pseudonym key in a file; set key_env instead"
            raise ConfigError(msg)
        if key == "masks":
            values["masks"] = _masks_table(value, where)
        elif key in _LIST_KEYS:
            values[key] = _string_list(key, value, where)
        elif key in {"format", "mask", "mask_text", "key_env", "key_id"}:
            values[key] = _string(key, value, where)
        elif key in {"keep", "max_line_bytes"}:
            if type(value) is not int:
                msg = f"{where}: key {key!r} must be an integer, got {_show(key, value)}"
                raise ConfigError(msg)
            values[key] = value
        else:
            msg = f"{where}: unknown key {key!r}; known: {', '.join(sorted(_KNOWN))}"
            raise ConfigError(msg)
    try:
        return _validated(replace(base, **values))  # type: ignore[arg-type]  # types checked above
    except ConfigError as error:
        msg = f"{where}: {error}"
        raise ConfigError(msg) from None


_KNOWN = frozenset(
    {"format", "only", "disable", "mask", "mask_text", "keep", "masks", "key_env", "key_id"}
    | {"sensitive_keys", "max_line_bytes"},
)


def _show(key: str, value: object) -> str:
    """Return *value* for an error message, or ``<hidden>`` when it might be a secret."""
    if DEFAULT_SENSITIVE_KEYS.matches(key) or key in {"key_env", "mask_text"}:
        return HIDDEN
    text = repr(value)
    return text if len(text) <= 40 else HIDDEN  # noqa: PLR2004 - long values are more likely secrets


def _string(key: str, value: object, where: str) -> str:
    if not isinstance(value, str):
        msg = f"{where}: key {key!r} must be a string, got {_show(key, value)}"
        raise ConfigError(msg)
    return value


def _string_list(key: str, value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        msg = f"{where}: key {key!r} must be a list of strings, got {_show(key, value)}"
        raise ConfigError(msg)
    return tuple(value)


def _masks_table(value: object, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        msg = f"{where}: key 'masks' must be a table of kind = policy"
        raise ConfigError(msg)
    pairs: list[tuple[str, str]] = []
    for kind, policy in value.items():
        if not isinstance(policy, str) or policy not in MASKS:
            msg = f"{where}: key 'masks.{kind}' must be one of {', '.join(MASKS)}, got {_show(kind, policy)}"
            raise ConfigError(msg)
        pairs.append((kind, policy))
    return tuple(pairs)


def _validated(settings: Settings) -> Settings:
    if settings.format not in FORMATS:
        msg = f"key 'format' must be one of {', '.join(FORMATS)}, got {_show('format', settings.format)}"
        raise ConfigError(msg)
    if settings.mask not in MASKS:
        msg = f"key 'mask' must be one of {', '.join(MASKS)}, got {_show('mask', settings.mask)}"
        raise ConfigError(msg)
    for kind, policy in settings.masks:
        if policy not in MASKS:
            msg = f"key 'masks.{kind}' must be one of {', '.join(MASKS)}, got {_show(kind, policy)}"
            raise ConfigError(msg)
    if settings.max_line_bytes < 1024:  # noqa: PLR2004 - below this, ordinary lines would be cut
        msg = f"key 'max_line_bytes' must be at least 1024, got {settings.max_line_bytes}"
        raise ConfigError(msg)
    known = {detector.name for detector in default_detectors()}
    for key in ("only", "disable"):
        unknown = [name for name in getattr(settings, key) if name not in known]
        if unknown:
            msg = f"key {key!r}: unknown detector {unknown[0]!r}; known: {', '.join(sorted(known))}"
            raise ConfigError(msg)
    return settings


def resolve_key(settings: Settings, environ: Mapping[str, str] | None = None) -> Settings:
    """Return *settings* with the pseudonym key read from its environment variable.

    The value may be ``hex:<digits>``, ``base64:<text>`` or plain text (used as
    UTF-8 bytes). The key never appears in a message.

    Raises:
        ConfigError: When pseudonyms are asked for and the key is missing or short.
    """
    if not settings.uses_pseudonyms():
        return settings
    environ = os.environ if environ is None else environ
    raw = environ.get(settings.key_env, "")
    if not raw:
        msg = f"pseudonym masking needs a key: set the environment variable {settings.key_env} (at least 16 bytes)"
        raise ConfigError(msg)
    try:
        if raw.startswith("hex:"):
            key = bytes.fromhex(raw[4:])
        elif raw.startswith("base64:"):
            key = base64.b64decode(raw[7:], validate=True)
        else:
            key = raw.encode("utf-8")
    except (ValueError, binascii.Error):
        msg = f"environment variable {settings.key_env} ({HIDDEN}) is not valid hex: or base64: data"
        raise ConfigError(msg) from None
    if len(key) < 16:  # noqa: PLR2004 - PseudonymMask's floor
        msg = f"environment variable {settings.key_env} ({HIDDEN}) must hold at least 16 bytes"
        raise ConfigError(msg)
    return replace(settings, key=key)


def _mask(policy: str, settings: Settings) -> Mask:
    if policy == "fixed":
        return FixedMask(settings.mask_text)
    if policy == "partial":
        return PartialMask(keep=settings.keep)
    if policy == "pseudonym":
        if settings.key is None:
            msg = "pseudonym key not resolved"
            raise ConfigError(msg)
        return PseudonymMask(settings.key, key_id=settings.key_id)
    return LabelMask()


def build_redactor(settings: Settings) -> Redactor:
    """Return the :class:`~redactlog.Redactor` that *settings* describe.

    Raises:
        ConfigError: When the engine rejects the combination (the message of
            its :class:`~redactlog.ConfigurationError`).
    """
    try:
        keys = DEFAULT_SENSITIVE_KEYS.with_names(*settings.sensitive_keys) if settings.sensitive_keys else None
        detectors = default_detectors(sensitive_keys=keys) if keys is not None else default_detectors()
        if settings.only:
            detectors = tuple(d for d in detectors if d.name in settings.only)
        return Redactor(
            detectors,
            disable=[name for name in settings.disable if not settings.only or name in settings.only],
            mask=_mask(settings.mask, settings),
            masks={kind: _mask(policy, settings) for kind, policy in settings.masks},
            sensitive_keys=keys if keys is not None else DEFAULT_SENSITIVE_KEYS,
        )
    except ConfigurationError as error:
        raise ConfigError(str(error)) from None
