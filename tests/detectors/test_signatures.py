"""Table-driven tests for redactlog.detectors.signatures (digests are real HMACs over generated bodies)."""

from __future__ import annotations

import base64
import hmac
import random
import string

import pytest

from redactlog import Redactor
from redactlog.detectors import SignatureDetector
from redactlog.detectors.signatures import signature_digest_spans

REDACTOR = Redactor()
DETECTOR = SignatureDetector()
_RNG = random.Random(5)
KEY = "".join(_RNG.choice(string.ascii_letters) for _ in range(32)).encode()
BODY = b'{"id": "evt_1", "type": "charge.succeeded"}'
TS = 1700000000


def hex_mac(message: bytes, digest: str = "sha256") -> str:
    """Hex HMAC of *message* under KEY."""
    return hmac.new(KEY, message, digest).hexdigest()


def b64_mac(message: bytes, digest: str = "sha256") -> str:
    """Base64 HMAC of *message* under KEY."""
    return base64.b64encode(hmac.new(KEY, message, digest).digest()).decode()


GH256 = hex_mac(BODY)
GH1 = hex_mac(BODY, "sha1")
STRIPE_V1 = hex_mac(f"{TS}.".encode() + BODY)
STRIPE_V0 = hex_mac(b"old" + BODY)
SLACK = hex_mac(f"v0:{TS}:".encode() + BODY)
SHOPIFY = b64_mac(BODY)
TWILIO = b64_mac(b"https://example.com/sms?x=1", "sha1")
SW1 = b64_mac(b"msg_1." + str(TS).encode() + b"." + BODY)
SW2 = b64_mac(b"rotated" + BODY)
SIGV4 = hex_mac(b"canonical request")
RFC9421 = b64_mac(b"signature base")

# (text, digests that must be masked, context that must survive)
CASES = [
    pytest.param(f"X-Hub-Signature-256: sha256={GH256}", [GH256], ["X-Hub-Signature-256: sha256="], id="github-sha256"),
    pytest.param(f"X-Hub-Signature: sha1={GH1}", [GH1], ["X-Hub-Signature: sha1="], id="github-legacy-sha1"),
    pytest.param(
        f"Stripe-Signature: t={TS},v1={STRIPE_V1}", [STRIPE_V1], [f"Stripe-Signature: t={TS},v1="], id="stripe-keeps-t"
    ),
    pytest.param(
        f"Stripe-Signature: t={TS},v1={STRIPE_V1},v0={STRIPE_V0}",
        [STRIPE_V1, STRIPE_V0],
        [f"t={TS},v1=", ",v0="],
        id="stripe-with-v0-masks-both-digests",
    ),
    pytest.param(
        f"headers={{'Stripe-Signature': 't={TS},v1={STRIPE_V1}'}}", [STRIPE_V1], [f"t={TS},v1="], id="stripe-in-a-repr"
    ),
    pytest.param(f"t={TS},v1={STRIPE_V1}", [STRIPE_V1], [f"t={TS},v1="], id="stripe-value-without-its-header"),
    pytest.param(
        f"X-Slack-Request-Timestamp: {TS}\nX-Slack-Signature: v0={SLACK}",
        [SLACK],
        [f"Timestamp: {TS}", "v0="],
        id="slack",
    ),
    pytest.param(f"X-Shopify-Hmac-Sha256: {SHOPIFY}", [SHOPIFY], ["X-Shopify-Hmac-Sha256: "], id="shopify-base64"),
    pytest.param(f"X-Twilio-Signature: {TWILIO}", [TWILIO], ["X-Twilio-Signature: "], id="twilio-base64-sha1"),
    pytest.param(f"webhook-signature: v1,{SW1}", [SW1], ["webhook-signature: v1,"], id="standard-webhooks"),
    pytest.param(
        f"webhook-signature: v1,{SW1} v1,{SW2}", [SW1, SW2], [" v1,"], id="standard-webhooks-with-two-signatures"
    ),
    pytest.param(f"svix-signature: v1,{SW1}", [SW1], ["svix-signature: v1,"], id="svix"),
    pytest.param(f"v1,{SW1} v1,{SW2}", [SW1, SW2], ["v1,"], id="standard-webhooks-value-without-its-header"),
    pytest.param(
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/us-east-1/s3/aws4_request, "
        f"SignedHeaders=host;x-amz-date, Signature={SIGV4}",
        [SIGV4],
        ["Authorization: AWS4-HMAC-SHA256 "],
        id="aws-sigv4-header",
    ),
    pytest.param(
        f"GET /b/k?X-Amz-Date=20261124T101500Z&X-Amz-Expires=3600&X-Amz-Signature={SIGV4} HTTP/1.1",
        [SIGV4],
        ["X-Amz-Date=20261124T101500Z&X-Amz-Expires=3600&X-Amz-Signature="],
        id="aws-presigned-url",
    ),
    pytest.param(f"Signature: sig1=:{RFC9421}:", [RFC9421], ["Signature: sig1=:"], id="rfc9421-keeps-label"),
    pytest.param(
        f'Signature-Input: sig1=("@method");created={TS};alg="hmac-sha256"\nSignature: sig1=:{RFC9421}:',
        [RFC9421],
        [f'Signature-Input: sig1=("@method");created={TS};alg="hmac-sha256"'],
        id="rfc9421-signature-input-is-metadata",
    ),
    pytest.param(f"X-Signature: {GH256}", [GH256], ["X-Signature: "], id="generic-x-signature"),
    pytest.param(
        f"GET /cb?shop=a.example&timestamp={TS}&hmac={GH256}", [GH256], [f"timestamp={TS}&hmac="], id="hmac-param"
    ),
    pytest.param(f"GET /f?sig={GH256}&size=2", [GH256], ["&size=2"], id="sig-param"),
    pytest.param(f"GET /f?signature={SHOPIFY}&x=1", [SHOPIFY], ["&x=1"], id="signature-param"),
    pytest.param(f'{{"signature": "{SHOPIFY}", "attempt": 2}}', [SHOPIFY], ['"attempt": 2'], id="json-field"),
]

NEGATIVE = [
    pytest.param(f"deployed commit {GH1}", id="a-git-sha"),
    pytest.param(f"pulled app@sha256:{GH256}", id="an-image-digest"),
    pytest.param(f'{{"digest": "sha256:{GH256}"}}', id="a-digest-field"),
    pytest.param(f"sha256sum {GH256}  app.tar.gz", id="a-checksum"),
    pytest.param(f'ETag: "{GH1}"', id="an-etag"),
    pytest.param(f"trace_id={GH256[:32]} span_id={GH256[:16]}", id="trace-ids"),
    pytest.param(f"X-Amz-Content-Sha256: {GH256}", id="a-payload-hash"),
    pytest.param("signature verification failed for delivery 42", id="prose-about-signatures"),
]


class TestSignatureDetection:
    """Signature digests through the Redactor and the signature detector."""

    @pytest.mark.parametrize(("text", "digests", "keep"), CASES)
    def test_digests_are_masked_and_labels_kept(self, text: str, digests: list[str], keep: list[str]) -> None:
        """Every digest is masked; labels, timestamps and neighbours stay readable."""
        out = REDACTOR.redact(text)

        assert [d for d in digests if d in out or d[: len(d) // 2] in out or d[len(d) // 2 :] in out] == []
        assert [k for k in keep if k not in out] == []

    @pytest.mark.parametrize("text", NEGATIVE)
    def test_hex_without_signature_context_is_kept(self, text: str) -> None:
        """Git SHAs, image digests, checksums, ETags and trace ids survive."""
        assert text == REDACTOR.redact(text)
        assert list(DETECTOR.detect(text)) == []

    def test_detector_alone_masks_only_stripe_digests(self) -> None:
        """The detector on its own reports the digests, never the timestamp."""
        text = f"t={TS},v1={STRIPE_V1},v0={STRIPE_V0}"

        assert [text[f.start : f.end] for f in DETECTOR.detect(text)] == [STRIPE_V1, STRIPE_V0]


# Each shape at the longest reach its pattern allows before the character the
# detector anchors its search on: (text, the digest the detector alone reports).
LONGEST_REACH = [
    pytest.param(f"t={TS:013d},v1={STRIPE_V1}", STRIPE_V1, id="stripe-13-digit-timestamp"),
    pytest.param(f"x v1a,{SW1}", SW1, id="standard-webhooks-v1a"),
    pytest.param(f"{'s' * 32}=:{RFC9421}:", RFC9421, id="rfc9421-32-character-label"),
    pytest.param(f"GET /k?X-Amz-Signature={SIGV4}", SIGV4, id="sigv4-presigned"),
    pytest.param(f"signature{'_' * 32}'   :   \"sha256={GH256}", GH256, id="github-longest-name-and-padding"),
]


class TestShapeReach:
    """The detector finds every shape from its anchor, however far before it the shape starts."""

    @pytest.mark.parametrize(("text", "digest"), LONGEST_REACH)
    def test_found_at_the_longest_reach(self, text: str, digest: str) -> None:
        """The digest is reported exactly."""
        assert [text[f.start : f.end] for f in DETECTOR.detect(text)] == [digest]

    @pytest.mark.parametrize(("text", "digest"), LONGEST_REACH)
    def test_found_after_other_anchors(self, text: str, digest: str) -> None:
        """Anchors of other shapes earlier in the line (with nothing to mask there) change nothing."""
        line = f"a=: b,v1=x v1,y sha256=z X-Signature=q {text}"

        assert [line[f.start : f.end] for f in DETECTOR.detect(line)] == [digest]


class TestSignatureDigestSpans:
    """Digest-only masking of one signature value."""

    @pytest.mark.parametrize(
        ("value", "masked"),
        [
            pytest.param("t=1700000000,v1=abc123", ["abc123"], id="stripe"),
            pytest.param("sha256=abc123", ["abc123"], id="github"),
            pytest.param("v1,QUJDREVGR0hJSktMTU5PUA== v1,UVJTVFVWV1hZWmFiY2RlZg==", None, id="two-standard-webhooks"),
            pytest.param("sig1=:QUJDREVGR0hJSktMTU5PUA==:", ["QUJDREVGR0hJSktMTU5PUA=="], id="rfc9421"),
            pytest.param("t=1700000000", [], id="a-timestamp-alone-has-nothing-to-mask"),
            pytest.param("opaquevalue", ["opaquevalue"], id="an-unlabelled-value-is-masked-whole"),
        ],
    )
    def test_spans(self, value: str, masked: list[str] | None) -> None:
        """signature_digest_spans returns exactly the digest ranges."""
        expected = masked if masked is not None else ["QUJDREVGR0hJSktMTU5PUA==", "UVJTVFVWV1hZWmFiY2RlZg=="]

        assert expected == [value[s:e] for s, e in signature_digest_spans(value)]


class TestLongLines:
    """Lines over 4,096 characters run on the regex module; they find what short ones find."""

    def test_dotless_i_in_a_sigv4_name_on_a_long_line(self) -> None:
        """re's case-insensitive "i" takes the dotless i (U+0131) and regex's does not: both are spelt out."""
        text = "y" * 4100 + f" X-Amz-S\u0131gnature={SIGV4} end"

        assert [text[f.start : f.end] for f in DETECTOR.detect(text)] == [SIGV4]
        assert SIGV4 not in REDACTOR.redact(text)

    def test_anchors_packed_before_a_signature_are_passed_quickly(self) -> None:
        """Each anchor looks only just before itself: thousands of "=:" do not make each search far ahead."""
        unit = "=:x" * 700 + f" sig1=:{RFC9421}: "
        text = unit * 5

        assert [text[f.start : f.end] for f in DETECTOR.detect(text)] == [RFC9421] * 5
