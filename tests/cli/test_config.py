"""Options and config files: detectors, masks, the pseudonym key, and clear errors."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(name="mixed")
def fixture_mixed(tools):
    """One line with an e-mail and a token, and both values."""
    email, token = tools.email(), tools.fake("", 24)
    return f"user {email} password={token}\n".encode(), email, token


class TestDetectorOptions:
    """--only and --disable choose detectors."""

    def test_disable(self, run, mixed):
        """A disabled detector's findings stay in the output."""
        line, email, _ = mixed

        result = run("scrub", "--disable", "email", stdin=line)

        assert result.stdout == f"user {email} password=[REDACTED:secret]\n".encode()

    def test_only(self, run, mixed):
        """--only keeps just the named detectors."""
        line, _, token = mixed

        result = run("scrub", "--only", "email", stdin=line)

        assert result.stdout == f"user [REDACTED:email] password={token}\n".encode()

    def test_extra_sensitive_key(self, run):
        """--sensitive-key adds a field name whose values are always masked."""
        result = run("scrub", "--sensitive-key", "employee_code", stdin=b"employee_code=X1 other=Y2\n")

        assert result.stdout == b"employee_code=[REDACTED:secret] other=Y2\n"


class TestMaskOptions:
    """--mask, --mask-kind, --mask-text and --keep choose the placeholders."""

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            pytest.param(["--mask", "fixed"], b"user [REDACTED] password=[REDACTED]\n", id="fixed"),
            pytest.param(["--mask", "fixed", "--mask-text", "***"], b"user *** password=***\n", id="fixed-text"),
            pytest.param(
                ["--mask-kind", "email=fixed"], b"user [REDACTED] password=[REDACTED:secret]\n", id="per-kind"
            ),
        ],
    )
    def test_policies(self, run, mixed, args, expected):
        """The policy decides the placeholder."""
        line, _, _ = mixed

        result = run("scrub", *args, stdin=line)

        assert result.stdout == expected

    def test_partial_keeps_the_tail(self, run, tools):
        """--mask partial keeps the last --keep characters of long values."""
        token = tools.fake("ghp_", 36)

        result = run("scrub", "--mask", "partial", "--keep", "3", stdin=f"t {token}\n".encode())

        assert result.stdout == f"t [REDACTED:api_key:*{token[-3:]}]\n".encode()


class TestPseudonymKey:
    """The pseudonym key comes from the environment and is never printed."""

    KEY = "k" * 8 + "e" * 8 + "y" * 8

    def test_pseudonyms_are_stable_and_keyed(self, run, tools):
        """The same value gives the same pseudonym; another key gives another."""
        email = tools.email()
        data = f"a {email}\nb {email}\n".encode()

        first = run("scrub", "--mask", "pseudonym", stdin=data, extra_env={"REDACTLOG_PSEUDONYM_KEY": self.KEY})
        other = run("scrub", "--mask", "pseudonym", stdin=data, extra_env={"REDACTLOG_PSEUDONYM_KEY": self.KEY[::-1]})

        tokens = re.findall(rb"\[REDACTED:email:k1:[0-9a-f]{16}\]", first.stdout)
        assert len(tokens) == 2
        assert tokens[0] == tokens[1]
        assert tokens[0] not in other.stdout

    def test_key_env_and_key_id_from_config(self, run, tmp_path, tools):
        """key_env and key_id can come from redactlog.toml; hex: keys are decoded."""
        (tmp_path / "redactlog.toml").write_text('mask = "pseudonym"\nkey_env = "MY_KEY"\nkey_id = "k2026"\n')

        result = run("scrub", stdin=f"{tools.email()}\n".encode(), extra_env={"MY_KEY": "hex:" + "ab" * 16})

        assert result.returncode == 0
        assert re.fullmatch(rb"\[REDACTED:email:k2026:[0-9a-f]{16}\]\n", result.stdout)

    @pytest.mark.parametrize(
        ("env", "message"),
        [
            pytest.param({}, b"set the environment variable REDACTLOG_PSEUDONYM_KEY", id="missing"),
            pytest.param({"REDACTLOG_PSEUDONYM_KEY": "short-key"}, b"(<hidden>) must hold at least 16", id="short"),
            pytest.param({"REDACTLOG_PSEUDONYM_KEY": "hex:zz-not-hex-zz"}, b"(<hidden>) is not valid", id="bad-hex"),
        ],
    )
    def test_bad_key_is_an_error_without_the_key(self, run, env, message):
        """A missing or unusable key exits 2 and the message never shows it."""
        result = run("scrub", "--mask-kind", "email=pseudonym", stdin=b"x\n", extra_env=env)

        assert result.returncode == 2
        assert message in result.stderr
        for value in env.values():
            assert value.encode() not in result.stderr

    def test_key_never_printed(self, run, tools):
        """Neither output, --stats nor --help ever shows the key."""
        env = {"REDACTLOG_PSEUDONYM_KEY": self.KEY}

        results = [
            run("scrub", "--mask", "pseudonym", "--stats", stdin=f"{tools.email()}\n".encode(), extra_env=env),
            run("scan", "--mask", "pseudonym", "--report", "sarif", stdin=f"{tools.email()}\n".encode(), extra_env=env),
            run("scrub", "--help", extra_env=env),
        ]

        for result in results:
            assert self.KEY.encode() not in result.stdout + result.stderr


class TestConfigFiles:
    """--config FILE, ./redactlog.toml and [tool.redactlog] in ./pyproject.toml."""

    def test_explicit_config(self, run, tmp_path, mixed):
        """--config reads top-level keys."""
        line, email, _ = mixed
        config = tmp_path / "custom.toml"
        config.write_text('disable = ["email"]\nmask = "fixed"\nmask_text = "<gone>"\n')

        result = run("scrub", "--config", config, stdin=line)

        assert result.stdout == f"user {email} password=<gone>\n".encode()

    def test_pyproject_table_is_found_in_the_current_directory(self, run, tmp_path, mixed):
        """[tool.redactlog] of ./pyproject.toml applies, and --no-config turns it off."""
        line, email, _ = mixed
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.redactlog]\ndisable = ["email"]\n')

        found = run("scrub", stdin=line)
        ignored = run("scrub", "--no-config", stdin=line)

        assert email.encode() in found.stdout
        assert email.encode() not in ignored.stdout

    def test_pyproject_without_table_is_ignored(self, run, tmp_path, mixed):
        """A pyproject.toml with no [tool.redactlog] table changes nothing."""
        line, _, _ = mixed
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')

        result = run("scrub", stdin=line)

        assert result.stdout == b"user [REDACTED:email] password=[REDACTED:secret]\n"

    def test_command_line_wins_over_config(self, run, tmp_path, mixed):
        """Options override the file; list options add to it."""
        line, _, _ = mixed
        (tmp_path / "redactlog.toml").write_text('mask = "fixed"\ndisable = ["phone"]\n')

        result = run("scrub", "--mask", "label", "--disable", "email", stdin=line)

        assert result.returncode == 0
        assert result.stdout.endswith(b"password=[REDACTED:secret]\n")
        assert b"[REDACTED:email]" not in result.stdout

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            pytest.param('colour = "blue"\n', "unknown key 'colour'", id="unknown-key"),
            pytest.param('keep = "four"\n', "key 'keep' must be an integer, got 'four'", id="wrong-type"),
            pytest.param(
                'mask = "blur"\n', "key 'mask' must be one of label, fixed, partial, pseudonym", id="bad-mask"
            ),
            pytest.param('format = "xml"\n', "key 'format' must be one of auto, text, jsonl", id="bad-format"),
            pytest.param('disable = ["nope"]\n', "unknown detector 'nope'", id="unknown-detector"),
            pytest.param('disable = "email"\n', "key 'disable' must be a list of strings", id="not-a-list"),
            pytest.param("mask = \n", "is not valid TOML", id="not-toml"),
            pytest.param('[masks]\nemail = "blur"\n', "key 'masks.email' must be one of", id="bad-kind-policy"),
            pytest.param("max_line_bytes = 10\n", "key 'max_line_bytes' must be at least 1024", id="too-small"),
        ],
    )
    def test_bad_config_names_the_key(self, run, tmp_path, text, message):
        """A bad config file exits 2 with its name and the offending key."""
        config = tmp_path / "bad.toml"
        config.write_text(text)

        result = run("scrub", "--config", config, stdin=b"x\n")

        assert result.returncode == 2
        assert f"{config}".encode() in result.stderr
        assert message.encode() in result.stderr

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param('key = "{secret}"\n', id="key-in-file"),
            pytest.param('mask_text = ["{secret}"]\n', id="mask-text-wrong-type"),
            pytest.param('[masks]\npassword = "{secret}"\n', id="sensitive-kind"),
            pytest.param('key_id = ["{secret}"]\n', id="long-value"),
        ],
    )
    def test_values_that_may_be_secret_are_hidden(self, run, tmp_path, tools, text):
        """Errors show <hidden> instead of a value that might be a key or password."""
        secret = tools.fake("s3cr3t-", 40)
        config = tmp_path / "bad.toml"
        config.write_text(text.format(secret=secret))

        result = run("scrub", "--config", config, stdin=b"x\n")

        assert result.returncode == 2
        assert b"<hidden>" in result.stderr
        assert secret.encode() not in result.stderr

    def test_missing_config_file(self, run):
        """--config with a missing file is an error naming it."""
        result = run("scrub", "--config", "nope.toml", stdin=b"x\n")

        assert result.returncode == 2
        assert b"config file 'nope.toml' does not exist" in result.stderr
