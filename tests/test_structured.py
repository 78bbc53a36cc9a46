"""Tests for Redactor.redact_value: key-aware, copy-on-write walks of nested values."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import decimal
import random
import string
import uuid
from collections import OrderedDict, namedtuple
from types import MappingProxyType

import pytest

from redactlog import Limits, Redactor


@pytest.fixture(name="redactor", scope="module")
def fixture_redactor() -> Redactor:
    return Redactor()


class TestKeyAware:
    @pytest.mark.parametrize("value", ["", "********", "[FILTERED]", "disabled", "ok"])
    def test_empty_status_and_upstream_masks_are_kept(self, redactor: Redactor, value: str) -> None:
        """What a value under a sensitive key says about the secret is kept: empty, a status, an earlier mask."""
        document = {"password": value}

        assert redactor.redact_value(document) is document

    @pytest.mark.parametrize(
        "key", ["password", "Password", "X-Api-Key", "apiKey", "client_secret", "access_token", "Authorization", "cvv"]
    )
    def test_sensitive_key_masks_any_value(self, redactor, key):
        """A value under a sensitive key is masked whatever it looks like."""
        assert redactor.redact_value({key: "plain words"}) == {key: "[REDACTED:secret]"}

    @pytest.mark.parametrize("value", [12345, 3.5, b"raw", ["a", "list"], {"nested": "dict"}])
    def test_non_string_values_under_sensitive_keys(self, redactor, value):
        """Numbers, bytes and containers under a sensitive key are masked too."""
        assert redactor.redact_value({"pin": value}) == {"pin": "[REDACTED:secret]"}

    @pytest.mark.parametrize("value", [None, "", True])
    def test_empty_values_are_kept(self, redactor, value):
        """None, empty strings and booleans hold no secret and stay readable."""
        assert redactor.redact_value({"password": value}) == {"password": value}

    def test_signature_keys_are_labelled_signature(self, redactor):
        """Signature headers get the signature kind."""
        assert redactor.redact_value({"X-Hub-Signature-256": "sha256=00ff"}) == {
            "X-Hub-Signature-256": "[REDACTED:signature]"
        }

    def test_exempt_keys_are_kept(self, redactor):
        """Counts and types that merely mention tokens are not secrets."""
        value = {"max_tokens": 256, "token_type": "Bearer"}

        assert redactor.redact_value(value) is value

    def test_nested_headers(self, redactor):
        """Key awareness applies at every depth."""
        event = {"request": {"headers": {"Authorization": "Bearer abc", "Accept": "text/html"}}}

        assert redactor.redact_value(event) == {
            "request": {"headers": {"Authorization": "[REDACTED:secret]", "Accept": "text/html"}}
        }


_Creds = namedtuple("_Creds", "user password")


class TestPhoneFields:
    """A field named after a phone is the context a bare digit run needs."""

    @pytest.mark.parametrize(
        "value",
        [
            pytest.param({"phone": "4155552671"}, id="a-string"),
            pytest.param({"phone": 4155552671}, id="an-int"),
            pytest.param({"user": {"mobileNumber": "4155552671"}}, id="nested-camel-case"),
            pytest.param({"sms_to": "07700 900123"}, id="a-national-number-under-sms-to"),
        ],
    )
    def test_bare_numbers_under_phone_fields_are_masked(self, redactor: Redactor, value: dict[str, object]) -> None:
        redacted = redactor.redact_value(value)

        assert "[REDACTED:phone]" in repr(redacted)
        assert "4155552671" not in repr(redacted)
        assert "900123" not in repr(redacted)

    @pytest.mark.parametrize(
        "value",
        [
            pytest.param({"order": 4155552671}, id="another-field"),
            pytest.param({"phone_verified": 4155552671}, id="a-field-about-the-phone"),
            pytest.param({"phone": "n/a"}, id="not-a-number"),
            pytest.param({"phone": True}, id="a-flag"),
        ],
    )
    def test_other_values_are_kept(self, redactor: Redactor, value: dict[str, object]) -> None:
        assert redactor.redact_value(value) is value


class TestNamedValues:
    """Values named by something other than a mapping key: pair tuples, named tuples, name/value records."""

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            pytest.param(["mysql", "--password", "pw1", "-e"], ["mysql", "--password", "[REDACTED:secret]", "-e"]),
            pytest.param(("cli", "--api-key", "k1"), ("cli", "--api-key", "[REDACTED:secret]")),
            pytest.param(["pg_dump", "--password", "--host", "db"], ["pg_dump", "--password", "--host", "db"]),
        ],
    )
    def test_argument_lists(self, redactor: Redactor, argv: object, expected: object) -> None:
        """In an argument list, a long option named by a sensitive key names the item after it."""
        assert redactor.redact_value(argv) == expected

    def test_ssm_parameter_with_a_path_name(self, redactor: Redactor) -> None:
        """get_parameter's response: seven fields, the name a path."""
        secret = "".join(random.Random(3).choices(string.ascii_letters, k=16))
        response = {"Parameter": {"Name": "/prod/db/password", "Type": "SecureString", "Value": secret, "Version": 1}}

        assert secret not in repr(redactor.redact_value(response))

    def test_cloudformation_parameter(self, redactor: Redactor) -> None:
        secret = "".join(random.Random(4).choices(string.ascii_letters, k=16))

        redacted = redactor.redact_value([{"ParameterKey": "DBPassword", "ParameterValue": secret}])

        assert redacted == [{"ParameterKey": "DBPassword", "ParameterValue": "[REDACTED:secret]"}]

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            pytest.param(
                {"headers": [(b"host", b"x"), (b"x-api-key", b"plain words")]},
                {"headers": [(b"host", b"x"), (b"x-api-key", "[REDACTED:secret]")]},
                id="asgi-header-pairs",
            ),
            pytest.param(
                [("username", "bob"), ("password", "plain words")],
                [("username", "bob"), ("password", "[REDACTED:secret]")],
                id="multi-dict-items",
            ),
            pytest.param(
                [{"name": "DB_PASSWORD", "value": "plain words"}, {"name": "HOME", "value": "/root"}],
                [{"name": "DB_PASSWORD", "value": "[REDACTED:secret]"}, {"name": "HOME", "value": "/root"}],
                id="kubernetes-env",
            ),
            pytest.param(
                {"Name": "Authorization", "Value": "plain words"},
                {"Name": "Authorization", "Value": "[REDACTED:secret]"},
                id="har-header",
            ),
            pytest.param(_Creds("bob", "plain words"), _Creds("bob", "[REDACTED:secret]"), id="named-tuple-fields"),
        ],
    )
    def test_the_named_value_is_masked(self, redactor, value, expected):
        assert redactor.redact_value(value) == expected

    @pytest.mark.parametrize(
        "value",
        [
            pytest.param(("token", None), id="an-empty-value"),
            pytest.param(("a", "password", "c"), id="not-a-pair"),
            pytest.param({"name": "HOME", "value": "/root"}, id="a-harmless-name"),
            pytest.param(
                {"name": "password", "value": "x", **dict.fromkeys("abcdefg", 1)}, id="a-record-of-nine-fields"
            ),
        ],
    )
    def test_other_shapes_are_kept(self, redactor, value):
        assert redactor.redact_value(value) is value


class TestCopyOnWrite:
    def test_clean_value_is_returned_as_is(self, redactor):
        """A value with nothing to mask comes back as the same object."""
        value = {"a": [1, 2, {"b": "c"}], "d": ("e",)}

        assert redactor.redact_value(value) is value

    def test_input_is_never_mutated(self, redactor):
        """The caller's objects are left exactly as they were."""
        value = {"user": {"email": "alice@example.com", "tags": ["x", "bob@example.org"]}, "password": "pw"}
        before = copy.deepcopy(value)

        result = redactor.redact_value(value)

        assert value == before
        assert result == {
            "user": {"email": "[REDACTED:email]", "tags": ["x", "[REDACTED:email]"]},
            "password": "[REDACTED:secret]",
        }

    def test_unchanged_branches_are_shared(self, redactor):
        """Only the path to a change is copied; untouched siblings are reused."""
        sibling = {"big": list(range(10))}
        result = redactor.redact_value({"a": sibling, "b": "alice@example.com"})

        assert result["a"] is sibling  # type: ignore[index]

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            pytest.param(("a@example.com", 1), ("[REDACTED:email]", 1), id="tuple"),
            pytest.param({"a@example.com"}, {"[REDACTED:email]"}, id="set"),
            pytest.param(frozenset({"a@example.com"}), frozenset({"[REDACTED:email]"}), id="frozenset"),
            pytest.param(b"to a@example.com", "to [REDACTED:email]", id="bytes"),
            pytest.param(bytearray(b"to a@example.com"), "to [REDACTED:email]", id="bytearray"),
            pytest.param(OrderedDict(e="a@example.com"), {"e": "[REDACTED:email]"}, id="ordered-dict"),
            pytest.param(MappingProxyType({"e": "a@example.com"}), {"e": "[REDACTED:email]"}, id="mapping-proxy"),
        ],
    )
    def test_container_types(self, redactor, value, expected):
        """Tuples, sets, bytes and other mappings are walked too."""
        assert redactor.redact_value(value) == expected

    def test_namedtuple_keeps_its_type(self, redactor):
        """A namedtuple is rebuilt as the same namedtuple type."""
        point = namedtuple("Point", "label value")
        result = redactor.redact_value(point("p", "a@example.com"))

        assert result == point("p", "[REDACTED:email]")
        assert type(result) is point

    def test_invalid_utf8_bytes(self, redactor):
        """Bytes that are not UTF-8 are decoded with replacement, never raised on."""
        assert redactor.redact_value(b"\xff\xfe a@example.com") == "\ufffd\ufffd [REDACTED:email]"


class TestKeysAndNumbers:
    def test_data_used_as_key_is_masked(self, redactor):
        """A dict keyed by e-mail addresses does not leak them."""
        assert redactor.redact_value({"alice@example.com": 1, "bob@example.org": 2}) == {
            "[REDACTED:email]": 1,
            "[REDACTED:email]#2": 2,
        }

    def test_field_names_are_kept(self, redactor):
        """Ordinary field names come back unchanged."""
        value = {"user_id": 1, "status": "ok"}

        assert redactor.redact_value(value) is value

    def test_long_integer_card_number(self, redactor):
        """A card number logged as an integer is masked."""
        assert redactor.redact_value({"n": 4111111111111111}) == {"n": "[REDACTED:credit_card]"}

    def test_whole_float_card_number(self, redactor):
        """A card number that went through a JSON parser as a float is masked; other floats are kept."""
        value = {"unix_time": 1733170000.123, "ratio": 0.5, "big": 1e300, "nan": float("nan")}

        assert redactor.redact_value({"n": 4111111111111111.0}) == {"n": "[REDACTED:credit_card].0"}
        assert redactor.redact_value(value) is value

    def test_bytes_keys_are_key_aware(self, redactor):
        """ASGI-style bytes headers are masked by name like str ones."""
        assert redactor.redact_value({b"x-api-key": b"abcd1234"}) == {b"x-api-key": "[REDACTED:secret]"}

    def test_decimal_card_number(self, redactor):
        """A card number held in a Decimal is masked like an int."""
        assert redactor.redact_value(decimal.Decimal("4111111111111111")) == "[REDACTED:credit_card]"

    def test_non_string_keys_holding_data(self, redactor):
        """Integer and tuple keys that hold data are masked too."""
        assert redactor.redact_value({4111111111111111: 1, ("jane@example.com",): 2, 5: "x"}) == {
            "[REDACTED:credit_card]": 1,
            ("[REDACTED:email]",): 2,
            5: "x",
        }

    def test_small_integers_pass_through(self, redactor):
        """Ordinary integers are never touched."""
        value = {"n": 42, "m": 999_999}

        assert redactor.redact_value(value) is value


class TestObjects:
    @pytest.mark.parametrize(
        "value",
        [42, 1.5, None, True, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), uuid.UUID(int=7)],
    )
    def test_atoms_pass_through(self, redactor, value):
        """Numbers, dates and UUIDs are returned untouched."""
        assert redactor.redact_value(value) is value

    def test_object_whose_repr_leaks(self, redactor):
        """An object whose str/repr holds a secret becomes its redacted text."""

        @dataclasses.dataclass
        class User:
            email: str

        result = redactor.redact_value(User("alice@example.com"))

        assert isinstance(result, str)
        assert result.endswith("User(email='[REDACTED:email]')")

    def test_clean_object_is_kept(self, redactor):
        """An object whose str and repr are clean is returned as itself."""

        @dataclasses.dataclass
        class Point:
            x: int

        point = Point(1)

        assert redactor.redact_value(point) is point

    def test_hostile_repr(self, redactor):
        """An object whose __str__ raises becomes a placeholder, never an exception."""

        class Hostile:
            def __str__(self) -> str:
                raise RuntimeError("alice@example.com")

            __repr__ = __str__

        assert redactor.redact_value([Hostile()]) == ["[REDACTED:unrepresentable]"]


class TestBounds:
    def test_cycles_terminate(self, redactor):
        """A cyclic structure is walked once; the back reference becomes a placeholder."""
        value: list[object] = ["a@example.com"]
        value.append(value)

        assert redactor.redact_value(value) == ["[REDACTED:email]", "[REDACTED:cycle]"]

    def test_shared_references_are_not_cycles(self, redactor):
        """The same object twice in a structure is not mistaken for a cycle."""
        shared = ["a@example.com"]

        assert redactor.redact_value([shared, shared]) == [["[REDACTED:email]"], ["[REDACTED:email]"]]

    def test_depth_is_bounded(self):
        """Values nested deeper than max_depth are masked, not walked."""
        redactor = Redactor(limits=Limits(max_depth=3))
        value: object = "deep"
        for _ in range(10):
            value = [value]

        result = redactor.redact_value(value)

        assert "[REDACTED:too_deep]" in repr(result)

    def test_very_deep_value_does_not_recurse_forever(self, redactor):
        """A 100 000-level nesting is handled without RecursionError."""
        value: object = "x"
        for _ in range(100_000):
            value = [value]

        assert "[REDACTED:too_deep]" in repr(redactor.redact_value(value))

    def test_items_are_bounded(self):
        """Containers longer than max_items are cut with a marker."""
        redactor = Redactor(limits=Limits(max_items=3))

        assert redactor.redact_value(list(range(10))) == [0, 1, 2, "[REDACTED:truncated]"]

    def test_dict_items_are_bounded(self):
        """Mappings longer than max_items are cut with a marker key."""
        redactor = Redactor(limits=Limits(max_items=2))

        assert redactor.redact_value({"a": 1, "b": 2, "c": 3}) == {"a": 1, "b": 2, "[REDACTED:truncated]": 1}
