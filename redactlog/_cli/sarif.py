"""SARIF 2.1.0 output, the format code-scanning services read.

One rule per finding kind, one result per finding; a result points at the
file, line and columns and says which detector fired, never what matched.
Columns count Unicode code points (``columnKind``), as our findings do.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from redactlog._cli.io import STDIN
from redactlog._cli.lines import LineFinding

__all__ = ["SCHEMA_URI", "build_sarif"]

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
"""The ``$schema`` of the documents we write."""

_INFO_URI = "https://github.com/redactlog/redactlog"

_DESCRIPTIONS = {
    "email": "E-mail address",
    "phone": "Phone number",
    "us_ssn": "US Social Security number",
    "credit_card": "Payment card number",
    "jwt": "JSON Web Token",
    "credential": "Credential in an Authorization header",
    "url_password": "Password in a URL",
    "private_key": "Private key",
    "api_key": "API key or access token",
    "signature": "HMAC or webhook signature",
    "secret": "Value under a sensitive key",
    "oversize": "Line too long to scan; the rest is masked",
    "redaction_failed": "Text that could not be scanned safely",
}


def _uri(name: str) -> dict[str, str]:
    if name == STDIN:
        return {"uri": "stdin"}
    path = Path(name)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    # Relative paths resolve against the checkout (%SRCROOT%), which is what
    # code-scanning services expect.
    return {"uri": quote(Path(os.path.normpath(name)).as_posix()), "uriBaseId": "%SRCROOT%"}


def build_sarif(
    results: Sequence[tuple[str, Sequence[LineFinding]]],
    errors: Sequence[str],
    version: str,
) -> dict[str, object]:
    """Return a SARIF 2.1.0 log of *results* (name and findings per file).

    Args:
        results: Each scanned input's name with its findings.
        errors: Messages about inputs that could not be scanned; they become
            tool notifications and mark the run as not successful.
        version: The redactlog version, for the tool driver.
    """
    kinds = sorted({f.kind for _, found in results for f in found})
    index = {kind: number for number, kind in enumerate(kinds)}
    rules = [
        {
            "id": kind,
            "name": "".join(part.capitalize() for part in kind.split("_")),
            "shortDescription": {"text": _DESCRIPTIONS.get(kind, f"Sensitive data ({kind})")},
            "defaultConfiguration": {"level": "error"},
        }
        for kind in kinds
    ]
    sarif_results = [
        {
            "ruleId": f.kind,
            "ruleIndex": index[f.kind],
            "level": "error",
            "message": {"text": f"{_DESCRIPTIONS.get(f.kind, f.kind)} found by detector {f.detector or 'engine'!r}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _uri(name),
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.line,
                            "endColumn": max(f.end_column, f.column),
                        },
                    },
                },
            ],
        }
        for name, found in results
        for f in found
    ]
    invocation: dict[str, object] = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": message}} for message in errors
        ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "redactlog",
                        "version": version,
                        "informationUri": _INFO_URI,
                        "rules": rules,
                    },
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation],
                "results": sarif_results,
            },
        ],
    }
