"""Table-driven tests for redactlog.detectors.keyvalue."""

from __future__ import annotations

import random
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactlog import Redactor
from redactlog.detectors import KeyValueDetector, keyvalue

REDACTOR = Redactor()
DETECTOR = KeyValueDetector()
_RNG = random.Random(9)
VALUE = "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(20))


def found(text: str) -> list[str]:
    """The substrings of *text* the key-value detector reports."""
    return [text[f.start : f.end] for f in DETECTOR.detect(text)]


# (text, expected redacted text)
SHAPES = [
    pytest.param(f"{{'password': b'{VALUE}'}}", "{'password': b'[REDACTED:secret]'}", id="bytes-literal-value"),
    pytest.param(f"password=b'{VALUE}'", "password=b'[REDACTED:secret]'", id="bytes-literal-after-equals"),
    pytest.param(f'password="{VALUE}', 'password="[REDACTED:secret]', id="unclosed-double-quote"),
    pytest.param(f'{{"password": "{VALUE} is my', '{"password": "[REDACTED:secret]', id="truncated-json-value"),
    pytest.param(
        f'msg: "cut short password={VALUE}', 'msg: "cut short password=[REDACTED:secret]', id="pair-in-unclosed-string"
    ),
    pytest.param(f"login password={VALUE} user=bob", "login password=[REDACTED:secret] user=bob", id="logfmt"),
    pytest.param(f"password: {VALUE}", "password: [REDACTED:secret]", id="yaml-or-header"),
    pytest.param(f'{{"client_secret": "{VALUE}"}}', '{"client_secret": "[REDACTED:secret]"}', id="json-keeps-quotes"),
    pytest.param(f"{{'passwd': '{VALUE}'}}", "{'passwd': '[REDACTED:secret]'}", id="python-repr"),
    pytest.param(
        f'{{"msg": "{{\\"api_key\\": \\"{VALUE}\\"}}"}}',
        '{"msg": "{\\"api_key\\": \\"[REDACTED:secret]\\"}"}',
        id="escaped-json",
    ),
    pytest.param(
        f"GET /x?next=%2F&access_token={VALUE}&page=2",
        "GET /x?next=%2F&access_token=[REDACTED:secret]&page=2",
        id="query",
    ),
    pytest.param(f"X-Api-Key: {VALUE}", "X-Api-Key: [REDACTED:secret]", id="api-key-header"),
    pytest.param(f"Cookie: theme=dark; sessionid={VALUE}", "Cookie: [REDACTED:secret]", id="cookie-header-to-line-end"),
    pytest.param(f"run --pwd={VALUE} --noinput", "run --pwd=[REDACTED:secret] --noinput", id="a-command-line-flag"),
    pytest.param(f"DB_PASSWORD={VALUE}", "DB_PASSWORD=[REDACTED:secret]", id="an-environment-variable"),
    pytest.param(f"ctx accessToken={VALUE}", "ctx accessToken=[REDACTED:secret]", id="camel-case-key"),
    pytest.param(
        'msg="auth" password="correct horse battery"',
        'msg="auth" password="[REDACTED:secret]"',
        id="quoted-with-spaces",
    ),
    pytest.param("pin=0152 cvv=737", "pin=[REDACTED:secret] cvv=[REDACTED:secret]", id="short-values-are-still-masked"),
    pytest.param(
        "password=abc[REDACTED:x]def", "password=[REDACTED:secret][REDACTED:x][REDACTED:secret]", id="bracket-in-value"
    ),
    pytest.param(f"(password={VALUE})", "(password=[REDACTED:secret])", id="a-closing-bracket-ends-the-value"),
    pytest.param(f"password => {VALUE}", "password => [REDACTED:secret]", id="ruby-hash-arrow"),
    pytest.param(
        f"login failed: password={VALUE}", "login failed: password=[REDACTED:secret]", id="a-pair-inside-another-value"
    ),
    pytest.param(
        f"url=https://x.example/?token={VALUE}&y=1",
        "url=https://x.example/?token=[REDACTED:secret]&y=1",
        id="query-in-value",
    ),
    # A URL's user name is no key, even when it holds a key's fragment ("hmac" in
    # "hmachado"): the URL detector masks the password alone and the host stays.
    pytest.param(
        f"connect to https://hmachado:{VALUE}@10.0.4.12/repo.git: timeout",
        "connect to https://hmachado:[REDACTED:url_password]@10.0.4.12/repo.git: timeout",
        id="a-url-user-name-is-no-key",
    ),
    pytest.param(
        f"dsn postgres://tokenizer:{VALUE}@db/prod",
        "dsn postgres://tokenizer:[REDACTED:url_password]@db/prod",
        id="a-url-user-name-is-no-key-after-a-space",
    ),
    # Blanks on both sides of "=": the value is what follows, even if it holds "=".
    pytest.param(f"secret = {VALUE}==", "secret = [REDACTED:secret]", id="base64-padding-after-spaced-equals"),
    pytest.param(f"password = ab={VALUE}", "password = [REDACTED:secret]", id="an-equals-sign-in-a-spaced-value"),
    pytest.param(
        f"Stripe-Signature: t=1700000000, v1={VALUE.encode().hex()}",
        "Stripe-Signature: t=1700000000, v1=[REDACTED:signature]",
        id="a-stripe-header-with-a-blank-after-its-comma",
    ),
    # Pair tuples, as Python prints ASGI headers and multi-dicts.
    pytest.param(
        f"[(b'host', b'x'), (b'x-api-key', b'{VALUE}')]",
        "[(b'host', b'x'), (b'x-api-key', b'[REDACTED:secret]')]",
        id="asgi-header-tuples",
    ),
    pytest.param(
        f"ImmutableMultiDict([('username', 'bob'), ('password', '{VALUE}')])",
        "ImmutableMultiDict([('username', 'bob'), ('password', '[REDACTED:secret]')])",
        id="multi-dict-items",
    ),
    pytest.param(f'("token", "a\\"{VALUE}")', '("token", "[REDACTED:secret]")', id="an-escaped-quote-in-the-value"),
    # Without a scheme, or with a password that ends the URL's authority, it is read as a pair.
    pytest.param(f"x //password:{VALUE}@h", "x //password:[REDACTED:secret]", id="no-scheme-no-url"),
    pytest.param(f"https://hmac:{VALUE}/x@h", "https://hmac:[REDACTED:signature]", id="a-slash-in-the-password"),
    # Long command-line options with a blank, as commands and argument lists are logged.
    pytest.param(
        f"mysqldump --user root --password {VALUE} --databases app",
        "mysqldump --user root --password [REDACTED:secret] --databases app",
        id="an-option-in-a-command",
    ),
    pytest.param(
        f"Command '['mysql', '--password', '{VALUE}', '-e', 'select 1']' returned non-zero exit status 1.",
        "Command '['mysql', '--password', '[REDACTED:secret]', '-e', 'select 1']' returned non-zero exit status 1.",
        id="an-option-in-an-argument-list",
    ),
    pytest.param(
        f'deploy --api-key "{VALUE} x" --region eu',
        'deploy --api-key "[REDACTED:secret]" --region eu',
        id="a-quoted-option-value",
    ),
    pytest.param(
        f"aws configure set --aws-secret-access-key {VALUE}",
        "aws configure set --aws-secret-access-key [REDACTED:secret]",
        id="an-option-at-the-end",
    ),
    # One dash before a long name, as keytool and openssl write options (on a line with ":" or "=").
    pytest.param(
        f"10:00:01 keytool -list -keystore ks.jks -storepass {VALUE}",
        "10:00:01 keytool -list -keystore ks.jks -storepass [REDACTED:secret]",
        id="a-single-dash-option",
    ),
    pytest.param(
        f"cmd=['keytool', '-keypass', '{VALUE}', '-alias', 'web']",
        "cmd=['keytool', '-keypass', '[REDACTED:secret]', '-alias', 'web']",
        id="a-single-dash-option-in-an-argument-list",
    ),
    # An option whose value is kept gives it back: here it is the next option.
    pytest.param(
        f"args=['psql', '-quiet', '--password', '{VALUE}']",
        "args=['psql', '-quiet', '--password', '[REDACTED:secret]']",
        id="an-option-after-a-flag-in-an-argument-list",
    ),
    pytest.param(
        f'10:00:01 powershell -Command "deploy.exe --password {VALUE}"',
        '10:00:01 powershell -Command "deploy.exe --password [REDACTED:secret]"',
        id="an-option-inside-the-quoted-value-of-another",
    ),
    # PowerShell names environment variables "$env:NAME".
    pytest.param(f"$env: = token : {VALUE}", "$env: = token : [REDACTED:secret]", id="powershell-env-without-a-name"),
    pytest.param(f'$env:API_TOKEN = "{VALUE}"', '$env:API_TOKEN = "[REDACTED:secret]"', id="powershell-env"),
    pytest.param(f"$env:GITHUB_TOKEN={VALUE}", "$env:GITHUB_TOKEN=[REDACTED:secret]", id="powershell-env-unquoted"),
    # Aligned dumps (pytest -l locals, config listings) put many blanks around the separator.
    pytest.param(f"api_key      = '{VALUE}'", "api_key      = '[REDACTED:secret]'", id="aligned-blanks"),
    pytest.param(f"password\t\t\t:\t{VALUE}", "password\t\t\t:\t[REDACTED:secret]", id="aligned-tabs"),
    pytest.param(f"password          : {VALUE}", "password          : [REDACTED:secret]", id="padded-before-a-colon"),
    # Pairs inside a quoted value of an ordinary key: logfmt messages, JSON log fields, reprs of bytes.
    pytest.param(
        f'level=warn msg="login failed password={VALUE}" user=bob',
        'level=warn msg="login failed password=[REDACTED:secret]" user=bob',
        id="a-pair-in-a-logfmt-message",
    ),
    pytest.param(
        f'{{"message":"GET /cb?access_token={VALUE} 200","status":200}}',
        '{"message":"GET /cb?access_token=[REDACTED:secret] 200","status":200}',
        id="a-query-in-a-json-log-field",
    ),
    pytest.param(
        f"send: b'POST /login HTTP/1.1\\r\\n\\r\\nusername=bob&password={VALUE}'",
        "send: b'POST /login HTTP/1.1\\r\\n\\r\\nusername=bob&password=[REDACTED:secret]'",
        id="a-form-body-in-http-client-debug-output",
    ),
    # A structure under a sensitive key is masked whole, to its closing bracket.
    pytest.param(
        f'{{"secrets": ["{VALUE}", "b"], "n": 1}}', '{"secrets": [REDACTED:secret], "n": 1}', id="a-list-under-a-key"
    ),
    pytest.param(
        f'{{"credentials": {{"db": "{VALUE}", "x": "}}"}}}}',
        '{"credentials": [REDACTED:secret]}',
        id="an-object-with-a-bracket-in-a-string",
    ),
    pytest.param(f"auth=('bob', '{VALUE}') ok", "auth=[REDACTED:secret] ok", id="a-tuple-under-a-key"),
    pytest.param(f"password=[{VALUE} x", "password=[REDACTED:secret]", id="an-unclosed-structure-runs-to-the-end"),
    pytest.param(
        f"password=({VALUE}\nnext line", "password=[REDACTED:secret]\nnext line", id="unclosed-ends-with-its-line"
    ),
    pytest.param(f"password=(ab){VALUE} x", "password=[REDACTED:secret] x", id="a-word-starting-with-a-bracket-pair"),
    pytest.param(
        f'{{"name": "DB_PASSWORD", "value": ["{VALUE}", "b"]}}',
        '{"name": "DB_PASSWORD", "value": [REDACTED:secret]}',
        id="a-record-whose-value-is-a-list",
    ),
    pytest.param(
        f"""Command '['mysql', '--password', "it's-{VALUE}"]' failed""",
        """Command '['mysql', '--password', "[REDACTED:secret]"]' failed""",
        id="an-option-value-holding-the-other-quote",
    ),
    pytest.param(
        f"<key>Password</key><string>{VALUE}</string>",
        "<key>Password</key><string>[REDACTED:secret]</string>",
        id="plist",
    ),
    # Name/value records printed as text: the name says what the value is.
    pytest.param(
        f'env: [{{"name": "DB_PASSWORD", "value": "{VALUE}"}}, {{"name": "LOG_LEVEL", "value": "info"}}]',
        'env: [{"name": "DB_PASSWORD", "value": "[REDACTED:secret]"}, {"name": "LOG_LEVEL", "value": "info"}]',
        id="a-json-name-value-record",
    ),
    pytest.param(
        f"[{{'name': 'API_TOKEN', 'value': '{VALUE}', 'value_from': None}}]",
        "[{'name': 'API_TOKEN', 'value': '[REDACTED:secret]', 'value_from': None}]",
        id="a-repr-of-a-kubernetes-env-var",
    ),
    pytest.param(
        f"EnvVar(name='DB_PASSWORD', value='{VALUE}')",
        "EnvVar(name='DB_PASSWORD', value='[REDACTED:secret]')",
        id="keyword-arguments",
    ),
    pytest.param(
        f"env:\n- name: DB_PASSWORD\n  value: {VALUE} and more\n- name: PORT\n  value: 8080",
        "env:\n- name: DB_PASSWORD\n  value: [REDACTED:secret]\n- name: PORT\n  value: 8080",
        id="a-yaml-block-to-the-end-of-the-line",
    ),
    pytest.param(
        f"{{name: CLIENT_SECRET, value: {VALUE}}}",
        "{name: CLIENT_SECRET, value: [REDACTED:secret]}",
        id="a-yaml-flow-mapping",
    ),
    pytest.param(
        f"{{'Name': '/prod/db/password', 'Type': 'SecureString', 'Value': '{VALUE}', 'Version': 1}}",
        "{'Name': '/prod/db/password', 'Type': 'SecureString', 'Value': '[REDACTED:secret]', 'Version': 1}",
        id="an-ssm-parameter-with-a-path-name-and-a-field-between",
    ),
    pytest.param(
        f"{{'ParameterKey': 'DBPassword', 'ParameterValue': '{VALUE}'}}",
        "{'ParameterKey': 'DBPassword', 'ParameterValue': '[REDACTED:secret]'}",
        id="a-cloudformation-parameter",
    ),
    pytest.param(
        f'<input type="password" name="password" value="{VALUE}">',
        '<input type="password" name="password" value="[REDACTED:secret]">',
        id="html-attributes",
    ),
    pytest.param(
        f"name=DB_PASSWORD value={VALUE} other=1",
        "name=DB_PASSWORD value=[REDACTED:secret] other=1",
        id="logfmt-fields",
    ),
    # YAML block scalars: the block on the following lines is the value.
    pytest.param(
        f"password: |\n  {VALUE}\n  more\nnext: 1", "password: [REDACTED:secret]\nnext: 1", id="yaml-literal-block"
    ),
    pytest.param(
        f"- name: API_TOKEN\n  value: >-\n    {VALUE}\nnext: 1",
        "- name: API_TOKEN\n  value: [REDACTED:secret]\nnext: 1",
        id="yaml-folded-block-in-a-record",
    ),
    pytest.param(
        f"vault_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  {VALUE}\nother: x",
        "vault_password: [REDACTED:secret]\nother: x",
        id="ansible-vault-block",
    ),
    # A query percent-encoded inside another value.
    pytest.param(
        f"redirect_uri=https%3A%2F%2Fx.com%2Fcb%3Ftoken%3D{VALUE}&y=1",
        "redirect_uri=https%3A%2F%2Fx.com%2Fcb%3Ftoken%3D[REDACTED:secret]&y=1",
        id="an-encoded-query-in-a-redirect-uri",
    ),
    pytest.param(
        f"state=password%3D{VALUE}%26user%3Dbob",
        "state=password%3D[REDACTED:secret]%26user%3Dbob",
        id="an-encoded-form-body",
    ),
    # A subscript assignment, as a traceback prints the source line.
    pytest.param(f"env['DB_PASSWORD'] = '{VALUE}'", "env['DB_PASSWORD'] = '[REDACTED:secret]'", id="subscript"),
    # Rails and PHP form fields.
    pytest.param(f"user[password]={VALUE}&x=1", "user[password]=[REDACTED:secret]&x=1", id="rails-key"),
    pytest.param(f"user%5Bpassword%5D={VALUE}", "user%5Bpassword%5D=[REDACTED:secret]", id="encoded-rails-key"),
    # Credentials in statements.
    pytest.param(
        f"LOG:  statement: ALTER USER app WITH PASSWORD '{VALUE}'",
        "LOG:  statement: ALTER USER app WITH PASSWORD '[REDACTED:secret]'",
        id="postgres-alter-user",
    ),
    pytest.param(
        f"10:00:01 Query CREATE USER 'app'@'%' IDENTIFIED WITH caching_sha2_password BY '{VALUE}'",
        "10:00:01 Query CREATE USER 'app'@'%' IDENTIFIED WITH caching_sha2_password BY '[REDACTED:secret]'",
        id="mysql-identified-by",
    ),
    pytest.param(
        f"SET PASSWORD FOR 'app'@'%' = PASSWORD('{VALUE}')",
        "SET PASSWORD FOR 'app'@'%' = PASSWORD('[REDACTED:secret]')",
        id="mysql-set-password",
    ),
    pytest.param(
        f'1700000000.1 [0 10.0.0.1:5] "AUTH" "default" "{VALUE}"',
        '1700000000.1 [0 10.0.0.1:5] "AUTH" "default" "[REDACTED:secret]"',
        id="redis-monitor-auth",
    ),
    pytest.param(
        f"netrc: machine example.com login bob password {VALUE}",
        "netrc: machine example.com login bob password [REDACTED:secret]",
        id="a-netrc-entry",
    ),
    # XML and HTML elements named by a sensitive key.
    pytest.param(f"<password>{VALUE}</password>", "<password>[REDACTED:secret]</password>", id="an-element"),
    pytest.param(
        f"<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>{VALUE}</SecretAccessKey></Credentials>",
        "<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>[REDACTED:secret]</SecretAccessKey></Credentials>",
        id="aws-sts-credentials",
    ),
    pytest.param(
        f"<ns:Token><![CDATA[{VALUE}<x]]></ns:Token>",
        "<ns:Token><![CDATA[[REDACTED:secret]]]></ns:Token>",
        id="a-namespaced-element-with-cdata",
    ),
    pytest.param(
        f'{{"Key":"team","Value":"core"}},{{"Key":"db_password","Value":"{VALUE}"}}',
        '{"Key":"[REDACTED:secret]","Value":"core"},{"Key":"[REDACTED:secret]","Value":"[REDACTED:secret]"}',
        id="aws-tags-whose-key-field-is-itself-a-sensitive-key",
    ),
]

KEPT = [
    pytest.param("max_tokens=4096 token_count=12", id="counts-and-limits-are-not-secrets"),
    pytest.param("token_type=bearer expires_in=3600", id="types-and-expiries-are-not-secrets"),
    pytest.param('{"password_changed_at": "2026-01-01T00:00:00"}', id="timestamps-of-secret-events"),
    pytest.param("password= user=bob", id="an-empty-value"),
    pytest.param('{"token": null, "secret": ""}', id="null-and-empty-string"),
    pytest.param("Password reset email sent", id="prose-with-a-sensitive-word"),
    pytest.param("keyboard=us monkey=3", id="keys-that-merely-contain-key"),
    pytest.param("[('token', ''), ('user', 'bob')]", id="an-empty-value-in-a-pair"),
    pytest.param(f"thumbnail data:image/png;base64,{VALUE}Hq/pw= generated", id="two-letters-before-base64-padding"),
    pytest.param("['password', 'hunter2'] and ('a', 'password')", id="a-list-and-a-pair-named-by-a-value"),
    pytest.param('{"password": [], "token": {}}', id="empty-structures"),
    pytest.param("auth: disabled session: started csrf: ok", id="status-words"),
    pytest.param("ALTER USER app WITH PASSWORD '' VALID UNTIL 'infinity'", id="an-empty-sql-password"),
    pytest.param("q=a%3Db%26c%3Dd and a > b", id="encoded-pairs-with-other-names"),
    pytest.param("INFO auth            : login ok", id="a-padded-column"),
    pytest.param("sort --key 2 --session default --tls-key /etc/tls/key.pem", id="ambiguous-options-and-paths"),
    pytest.param("<ListBucketResult><Key>photos/2024/cat.jpg</Key></ListBucketResult>", id="an-s3-key-element"),
    pytest.param("<title>Password reset</title><Password/><token></token>", id="elements-without-a-secret"),
    pytest.param("{'Name': 'Environment', 'Type': 'String', 'Value': 'prod'}", id="another-name-and-a-type"),
    pytest.param("password=******** secret: (redacted) token=[FILTERED]", id="values-masked-upstream"),
    pytest.param('msg="user=bob logged in" ts="2026-11-24T10:00:00Z"', id="quoted-values-with-ordinary-pairs"),
    pytest.param("psql --password --host db", id="an-option-followed-by-another"),
    pytest.param("pg_dump --password", id="an-option-without-a-value"),
    pytest.param("pip install -- password-tools", id="a-double-dash-alone"),
    pytest.param("run --user bob --region eu", id="options-with-other-names"),
    pytest.param("ts=1 find . -name x -newer y", id="single-dash-options-with-other-names"),
    pytest.param("a=1 ffmpeg -i in.mp4 -pass 1 out.mp4", id="an-encoding-pass"),
    pytest.param("a=1 sync-password x", id="a-dash-inside-a-word"),
    pytest.param("x: -token -5 -pin 1", id="a-value-that-is-an-option-and-a-short-name"),
    pytest.param('{"name": "username", "value": "bob"}', id="a-record-with-another-name"),
    pytest.param('{"name": "DB_PASSWORD", "value": ""}', id="a-record-with-an-empty-value"),
    pytest.param("name: DB_PASSWORD\nvalue:", id="a-yaml-record-without-a-value"),
    pytest.param('{"username": "DB_PASSWORD", "value": "x"}', id="a-field-that-merely-ends-in-name"),
]


class TestKeyValueDetector:
    """Values under sensitive keys, whatever they look like."""

    @pytest.mark.parametrize(("text", "expected"), SHAPES)
    def test_values_are_masked_and_keys_kept(self, text: str, expected: str) -> None:
        """The value is replaced, the key and the syntax around it are kept."""
        assert expected == REDACTOR.redact(text)

    @pytest.mark.parametrize("text", KEPT)
    def test_harmless_keys_and_empty_values_are_kept(self, text: str) -> None:
        """Exempt keys, empty values and prose are not findings."""
        assert text == REDACTOR.redact(text)
        assert found(text) == []

    def test_detector_reports_the_value_only(self) -> None:
        """On its own, the detector reports the value and never the key."""
        assert found(f"password={VALUE}") == [VALUE]

    def test_authorization_keeps_the_scheme(self) -> None:
        """An Authorization value keeps its scheme word and loses the credential."""
        assert REDACTOR.redact(f"Authorization: Bearer {VALUE}x.y") == "Authorization: Bearer [REDACTED:credential]"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param(
                "X-Slack-Signature: v0=abc123def456", "X-Slack-Signature: v0=[REDACTED:signature]", id="label-kept"
            ),
            pytest.param(
                "Stripe-Signature: t=1700000000,v1=abc123,v1=def456",
                "Stripe-Signature: t=1700000000,v1=[REDACTED:signature],v1=[REDACTED:signature]",
                id="unquoted-values-run-over-commas",
            ),
            pytest.param(
                "hmac=abc123&shop=x", "hmac=[REDACTED:signature]&shop=x", id="an-ampersand-still-ends-a-query-value"
            ),
        ],
    )
    def test_signature_keys_mask_only_digests(self, text: str, expected: str) -> None:
        """Under a signature key, labels and timestamps survive and digests do not."""
        assert expected == REDACTOR.redact(text)

    def test_extra_names_are_honoured(self) -> None:
        """Keys added to the rules are masked too."""
        from redactlog._keys import DEFAULT_SENSITIVE_KEYS

        detector = KeyValueDetector(DEFAULT_SENSITIVE_KEYS.with_names("employee_badge"))

        assert [t for t in ("B-1234",) if any(f for f in detector.detect(f"employee_badge={t}"))] == ["B-1234"]


# The key part of the pair pattern in its plain form, one alternative per key
# form; the detector's pattern takes the first character before the
# alternatives (for speed) and must match exactly like this.
_PLAIN_KEYS = r"""
(?:
    \\"(?P<k1>[^"\\\n]{1,64}+)\\"
  | "(?P<k2>[^"\\\n]{1,64}+)"\]?
  | '(?P<k3>[^'\\\n]{1,64}+)'\]?
  | (?<![\w.])(?<![\w.]-)(?P<k4>[A-Za-z_@$](?:(?<=\$)env:(?=[A-Za-z_]))?[\w.\-\[\]%]{0,63}+)
)
"""


def _pairs(pattern: re.Pattern[str], text: str, *, k4_from_start: bool) -> list[tuple[object, ...]]:
    found = []
    for match in pattern.finditer(text):
        k1, k2, k3 = match.group("k1", "k2", "k3")
        key = k1 or k2 or k3 or (text[match.start() : match.end("k4")] if k4_from_start else match["k4"])
        found.append((match.start(), match.end(), key, match.lastgroup))
    return found


@given(
    text=st.lists(st.sampled_from([*"ab_-.@$9 \t\n=:>\"'\\,;&[](){}<>", "$env:"]), max_size=60).map("".join),
)
def test_pair_pattern_matches_like_its_plain_form(text):
    fast = re.compile(keyvalue._PAIR, re.VERBOSE)
    head, tail = keyvalue._PAIR.split(")\n[ \\t]{0,32}+(?P<sep>", 1)
    plain = re.compile(_PLAIN_KEYS + "[ \\t]{0,32}+(?P<sep>" + tail, re.VERBOSE)

    assert head.strip()  # the split found the end of the key part
    assert _pairs(fast, text, k4_from_start=True) == _pairs(plain, text, k4_from_start=False)


@given(
    text=st.lists(
        st.sampled_from(
            [
                "password",
                "PassWord",
                "identified",
                "IDENTIFIED",
                '"auth"',
                '"AUTH"',
                "machine",
                "by",
                "login",
                " ",
                "\t",
                "(",
                "'",
                '"',
                "x",
                "=",
                ":",
                "\n",
            ]
        ),
        max_size=16,
    ).map("".join),
)
def test_statement_check_never_misses_a_statement(text):
    """The str.find check says yes wherever the statement pattern matches."""
    if re.search(keyvalue._STATEMENT, text):
        assert keyvalue._has_statement_start(text)


def test_scheme_initials_hold_every_first_character_of_a_scheme():
    """The pattern of leading schemes is skipped for values opening with another character: none may match."""
    schemes = re.search(r"\(\?i:([^)]*)\)", keyvalue._LEADING_SCHEME.pattern).group(1).split("|")
    initials = re.compile("(?i)[" + "".join({scheme[0] for scheme in schemes}) + "]")
    every = {chr(code) for code in range(0x110000) if initials.fullmatch(chr(code))}
    assert every <= keyvalue._SCHEME_INITIALS
