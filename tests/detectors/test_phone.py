"""Table-driven tests for redactlog.detectors.phone."""

from __future__ import annotations

import pytest

from redactlog import Redactor
from redactlog.detectors import PhoneDetector

REDACTOR = Redactor()
DETECTOR = PhoneDetector()


def found(detector: PhoneDetector, text: str) -> list[str]:
    """The substrings of *text* that *detector* reports."""
    return [text[f.start : f.end] for f in detector.detect(text)]


POSITIVE = [
    pytest.param("+44 20 7946 0958", "+44 20 7946 0958", id="e164-with-spaces"),
    pytest.param("from +1 415-555-2671 today", "+1 415-555-2671", id="international-with-dashes"),
    pytest.param("dial 0044 20 7946 0958", "0044 20 7946 0958", id="a-00-international-prefix"),
    pytest.param("q=%2B14155552671&x=1", "%2B14155552671", id="a-url-encoded-plus"),
    pytest.param('{"tel": "0.800.12.34.56"}', "0.800.12.34.56", id="a-french-special-rate-number-with-dots"),
    pytest.param("href=tel:415-555-2671", "415-555-2671", id="a-tel-uri-without-plus"),
    pytest.param('{"mobile":4155552671}', "4155552671", id="a-number-in-compact-json"),
    pytest.param("Tel: 06-12-34-56-78", "06-12-34-56-78", id="french-dashed-pairs"),
    pytest.param("Tel: 0151 / 123 456 78", "0151 / 123 456 78", id="german-area-code-with-a-spaced-slash"),
    pytest.param("Tel: 1.415.555.2671", "1.415.555.2671", id="nanp-with-a-dotted-one"),
    pytest.param("sms_to=4155552671", "4155552671", id="a-field-named-after-the-channel"),
    pytest.param("mobile_id=x phone 4155552671", "4155552671", id="other-context-after-an-id"),
    pytest.param('{"msisdn":447700900123,"x":1}', "447700900123", id="an-msisdn-in-compact-json"),
    pytest.param("phone=07414+991950&x=1", "07414+991950", id="plus-as-a-space-in-a-form-body"),
    pytest.param("17,jane,415-555-2671,ca", "415-555-2671", id="a-csv-field"),
    pytest.param("phones=415-555-2671,415-555-2672", "415-555-2672", id="a-list-without-blanks"),
    pytest.param("x (0044 20 7946 0958) y", "0044 20 7946 0958", id="a-00-prefix-in-parentheses"),
    pytest.param("phone=%2B33+6+16+22+54+66", "%2B33+6+16+22+54+66", id="quote-plus-of-an-international-number"),
    pytest.param("Tel:020 7946 0958", "020 7946 0958", id="right-after-a-context-word-and-colon"),
    pytest.param("TEL;TYPE=CELL:415-555-2671", "415-555-2671", id="a-vcard-line"),
    pytest.param(
        "call 030 1234567 about 06233699-5090-d751-4613-699692676039",
        "030 1234567",
        id="a-number-beside-a-uuid-is-still-masked",
    ),
    pytest.param("to=%2B44%2020%207946%200958&x=1", "%2B44%2020%207946%200958", id="url-encoded-spaces"),
    pytest.param("sent +1 678-534-8675 (42) to x", "+1 678-534-8675", id="before-a-parenthesised-count"),
    pytest.param("call +44 20 7946 0958 (2)", "+44 20 7946 0958", id="before-a-parenthesised-digit"),
    pytest.param("Call me at 12 020 7946 (0958)", "020 7946 (0958", id="parenthesised-last-group-kept"),
    pytest.param("sms +44.20.7946.0958", "+44.20.7946.0958", id="international-with-dots"),
    pytest.param("+49 (0) 30 12345678", "+49 (0) 30 12345678", id="international-with-a-bracketed-trunk-zero"),
    pytest.param("call (415) 555-2671", "(415) 555-2671", id="us-national-with-parentheses"),
    pytest.param("cb 415.555.2671", "415.555.2671", id="us-national-with-dots"),
    pytest.param("toll free 1-800-555-0199", "1-800-555-0199", id="us-with-leading-1"),
    pytest.param("tel: 020 7946 0958", "020 7946 0958", id="gb-national-with-trunk-zero"),
    pytest.param("Tel 030 12345678", "030 12345678", id="de-national-with-trunk-zero"),
    pytest.param("call (04971) 76956 now", "(04971) 76956", id="de-area-code-in-parentheses"),
    pytest.param("fixe 01 42 68 53 00", "01 42 68 53 00", id="fr-national-in-pairs"),
    pytest.param("denwa 03-1234-5678", "03-1234-5678", id="jp-national-with-dashes"),
    pytest.param("ph (02) 9876 5432", "(02) 9876 5432", id="au-landline"),
    pytest.param("mob 0412 345 678", "0412 345 678", id="au-mobile"),
    pytest.param("call 98765 43210", "98765 43210", id="in-mobile-without-trunk-zero"),
    pytest.param("cel (11) 91234-5678", "(11) 91234-5678", id="br-mobile-with-area-code"),
    pytest.param("phone 4155552671", "4155552671", id="bare-digits-after-a-context-word"),
    pytest.param('{"mobile": "07946 095812"}', "07946 095812", id="gb-mobile-in-json"),
    pytest.param("appel 01.42.68.53.00", "01.42.68.53.00", id="fr-dotted-pairs-are-not-a-version"),
    pytest.param("sms to 11 6620 3928", "11 6620 3928", id="context-accepts-a-number-without-its-trunk-prefix"),
    pytest.param("+14155552671,203.0.113.45", "+14155552671", id="before-a-comma-and-an-ip-address"),
    pytest.param(
        'call +81 3-1535-5666,10.20.30.40 "2026-11-24T10:00:00Z"',
        "+81 3-1535-5666",
        id="before-an-ip-address-and-a-timestamp",
    ),
    pytest.param("x +49.301.23.45 y", "+49.301.23.45", id="dotted-like-an-ip-after-a-plus"),
]

NEGATIVE = [
    pytest.param("2026-11-24 10:15:00,123 started", id="a-timestamp"),
    pytest.param("report for 24/11/2026 and 11-24-2026", id="dates"),
    pytest.param("connect 192.168.100.200:8443", id="an-ipv4-address-and-port"),
    pytest.param("order 96264204 via phone from 21.138.180.93", id="an-ip-address-past-a-number-after-context"),
    pytest.param("ok to call from 26.205.108.137", id="an-ip-address-after-a-context-word"),
    pytest.param("939 2606 sent to call: 62.187.116.81", id="an-ip-address-where-a-window-ends"),
    pytest.param("running on Windows 10.0.19045.2965", id="a-four-part-version"),
    pytest.param("took 1234567 ms, pid=4194304, port 65535", id="durations-pids-and-ports"),
    pytest.param("order 4155552671 shipped", id="bare-digits-without-context-are-an-id"),
    pytest.param("user_id=07946095812", id="a-numeric-id-under-a-neutral-key"),
    pytest.param("ref 123-45-6789", id="the-ssn-layout-is-never-a-phone"),
    pytest.param("ref 234 56 7890", id="the-spaced-ssn-layout-is-never-a-phone"),
    pytest.param("x0044 20 7946 0958", id="a-national-number-without-its-trunk-prefix"),
    pytest.param("ref 11 6620 3928", id="without-context-the-trunk-prefix-is-required"),
    pytest.param("lat=48.8588443 lon=131.147263", id="coordinates"),
    pytest.param("Range: bytes=475561-2193884", id="a-byte-range"),
    pytest.param("Range: bytes=7194-4506352 and 671-2086697", id="two-groups-without-trunk-or-context-are-a-range"),
    pytest.param("CEP 01310-100 Sao Paulo", id="a-brazilian-postal-code"),
    pytest.param("pattern +870 8368 7813 unroutable", id="an-invalid-international-number"),
    pytest.param("epoch=1732441234 ms=1732441234567", id="epoch-seconds-and-milliseconds"),
    pytest.param("pattern 000-030-4211 is bogus", id="digits-joined-by-dashes-are-one-token"),
    pytest.param("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari id 4155552671", id="iphone-is-not-context"),
    pytest.param("hotel booking 4155552671", id="hotel-is-not-tel"),
    pytest.param("release 0.123.45.67.89 out", id="a-five-part-version-that-is-no-special-rate-number"),
    pytest.param("hotel:4155552671 booked", id="hotel-colon-is-not-tel-colon"),
    pytest.param('{"id":4155552671,"ts":1700000000}', id="ids-in-compact-json-without-context"),
    pytest.param("call_id=8371209345 ended", id="a-call-id-is-not-a-phone"),
    pytest.param("orderNumber: 415-555-2671-A", id="an-id-continued-by-a-dash-and-a-letter"),
    pytest.param("contact_id: 2125550123", id="a-contact-id-is-not-a-phone"),
    pytest.param("phone_verified=true order=2125550123", id="a-flag-named-after-the-phone-is-no-context"),
    pytest.param("call_duration_ms=2125550123", id="a-call-duration"),
    pytest.param("q=a+b+12+34+56+78 and sum 12+34+56+78", id="small-numbers-joined-by-plus"),
    pytest.param("total 1,234,567,890 rows", id="thousands-separators"),
    pytest.param("call cost 12345678,90 EUR and 1,00,00,000 INR", id="decimal-commas-and-lakhs"),
    pytest.param("rejected malformed SSN field value 004-94-0000", id="the-ssn-layout-after-00-too"),
    pytest.param("ts:1700000000 at 10:30:45 on host:8080", id="after-other-colons-digits-are-no-phone"),
    pytest.param("request_id=08903526-7154-bc05-9a2f-f7d81d4e7eee done", id="a-uuid-whose-first-groups-are-digits"),
    pytest.param("X-GitHub-Delivery: 06233699-5090-d751-4613-699692676039", id="a-delivery-id-too"),
    pytest.param("ids 45981 5944 432 5497 417", id="a-list-of-ids-holds-no-number-without-context"),
    pytest.param("7614 92 4981 98 011", id="short-groups-without-context"),
]


class TestPhoneDetector:
    """The phone detector, through the Redactor and on its own."""

    @pytest.mark.parametrize(("text", "number"), POSITIVE)
    def test_valid_numbers_are_masked(self, text: str, number: str) -> None:
        """A valid number is masked by the Redactor and reported whole by the detector."""
        out = REDACTOR.redact(text)

        assert number not in out
        assert number in found(DETECTOR, text)

    @pytest.mark.parametrize("text", NEGATIVE)
    def test_non_phone_digits_are_kept(self, text: str) -> None:
        """Dates, ids, versions and invalid numbers are not phone findings."""
        kinds = {f.kind for f in REDACTOR.scan(text)}

        assert "phone" not in kinds
        assert found(DETECTOR, text) == []

    @pytest.mark.parametrize(("text", "number"), POSITIVE)
    def test_the_memo_keeps_no_valid_number(self, text: str, number: str) -> None:
        """Candidates are remembered as hashes only: a memo must not hold a secret."""
        detector = PhoneDetector()

        list(detector.detect(text))
        list(detector.detect(text))

        assert all(type(entry) is int for entry in detector._memo)
        assert True in detector._memo.values()

    def test_dotted_international_number_with_short_groups_passes_the_gate(self) -> None:
        """'+61.412.345.678' is masked through the Redactor, not only by the detector."""
        assert REDACTOR.redact("sms +61.412.345.678") == "sms [REDACTED:phone]"

    def test_dotted_international_number_with_short_groups_is_found(self) -> None:
        """The detector itself reports '+61.412.345.678'."""
        assert found(DETECTOR, "sms +61.412.345.678") == ["+61.412.345.678"]

    def test_regions_are_configurable(self) -> None:
        """A national format is recognised only for the configured regions."""
        us_only = PhoneDetector(regions=["US"])

        assert found(us_only, "tel: 020 7946 0958") == []
        assert found(us_only, "tel: +44 20 7946 0958") == ["+44 20 7946 0958"]

    def test_lower_case_regions_are_accepted(self) -> None:
        """Region codes are normalised to upper case."""
        assert PhoneDetector(regions=["gb", "de"]).regions == ("GB", "DE")

    def test_phone_can_be_disabled(self) -> None:
        """Redactor(disable=["phone"]) leaves phone numbers alone."""
        assert Redactor(disable=["phone"]).redact("call +44 20 7946 0958") == "call +44 20 7946 0958"

    def test_a_number_glued_to_an_id_is_cut_out(self) -> None:
        """A neighbouring id separated by a space is not masked with the number."""
        assert REDACTOR.redact("id 7 call 415-555-2671") == "id 7 call [REDACTED:phone]"


# A number written next to another number with one blank between: the
# number is masked, its neighbour is kept.
NEIGHBOURS = [
    pytest.param("phone +1 415 555 2671 2024-01-05 ok", "phone [REDACTED:phone] 2024-01-05 ok", id="before-a-date"),
    pytest.param("sms 2024-01-05 415 555 2671", "sms 2024-01-05 [REDACTED:phone]", id="after-a-date"),
    pytest.param("tel +1 415 555 2671 10:30:00", "tel [REDACTED:phone] 10:30:00", id="before-a-time"),
    pytest.param("+44 20 7946 0958 078-05-1120", "[REDACTED:phone] 078-05-1120", id="before-an-ssn-shaped-number"),
    pytest.param("ref 078-05-1120 020 7946 0958", "ref 078-05-1120 [REDACTED:phone]", id="after-an-ssn-shaped-number"),
    pytest.param("12-34 415-555-2671", "12-34 [REDACTED:phone]", id="after-a-dashed-pair"),
    pytest.param("+44 20 7946 0958 1234-5678", "[REDACTED:phone] 1234-5678", id="before-a-dashed-id"),
    pytest.param("415.555.2671 2024.01.05", "[REDACTED:phone] 2024.01.05", id="before-a-dotted-date"),
    pytest.param("+1 415 555 2671 1 2", "[REDACTED:phone] 1 2", id="before-two-small-numbers"),
    pytest.param("phone: 415 555 2671 2024-01-05", "phone: [REDACTED:phone] 2024-01-05", id="no-group-left-behind"),
    pytest.param("v 10.0.19045.2965 415 555 2671", "v 10.0.19045.2965 [REDACTED:phone]", id="after-a-version"),
    pytest.param("+44 20 7946 0958 10.1.2.3", "[REDACTED:phone] 10.1.2.3", id="before-an-ip-address"),
    pytest.param("call 415 555 2671 415 555 2672", "call [REDACTED:phone] [REDACTED:phone]", id="two-numbers-in-a-row"),
    pytest.param(
        "call +1 415 555 2671 +1 415 555 2672", "call [REDACTED:phone] [REDACTED:phone]", id="two-international-numbers"
    ),
    # Found by differential reviews of the first versions of this reading.
    pytest.param("+33 6-12-34-56-65 1774", "[REDACTED:phone] 1774", id="dashed-groups-after-a-country-code"),
    pytest.param("+41 79.123.45.67 1774", "[REDACTED:phone] 1774", id="dotted-groups-after-a-country-code"),
    pytest.param("sms to 8458.88 (02) 1234 4649", "sms to 8458.88 [REDACTED:phone]", id="area-code-after-a-decimal"),
    pytest.param("From=413850 01 23 45 67 63&Body", "From=413850 [REDACTED:phone]&Body", id="after-a-leading-id"),
]


def test_the_search_goes_on_after_a_number_inside_a_candidate() -> None:
    """Each line's candidate holds two numbers; both are found on every line of a long text."""
    text = "\n".join(["call 415 555 2671 415 555 2672"] * 200)

    assert REDACTOR.redact(text) == "\n".join(["call [REDACTED:phone] [REDACTED:phone]"] * 200)


@pytest.mark.parametrize(("text", "expected"), NEIGHBOURS)
def test_a_number_beside_another_number_is_cut_out(text: str, expected: str) -> None:
    """The candidate glues neighbours to the number; the number is found in it by whole words."""
    assert REDACTOR.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("GET /search?q=87.173.152.77%2B152.157.76.133 HTTP/1.1", id="joined-by-an-encoded-plus"),
        pytest.param("upstreams 75.147.235.107 + 163.14.147.130", id="joined-by-a-spaced-plus"),
    ],
)
def test_ip_addresses_joined_by_a_plus_are_kept(text: str) -> None:
    """Only a "+" right before it makes a dotted quad a number: the redactor's gate reads these as addresses."""
    assert REDACTOR.redact(text) == text
