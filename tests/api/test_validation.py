"""Rules for names, phone numbers and ids, checked without a server."""

from __future__ import annotations

import pytest

from phonebook.api.validation import FieldError, parse_name, parse_phone, parse_user_id

# (input, display form, canonical key)
VALID_PHONES = [
    ("+44 20 7946 0958", "+44 20 7946 0958", "+442079460958"),
    ("+442079460958", "+44 20 7946 0958", "+442079460958"),
    ("+1 (415) 555-2671", "+1 415-555-2671", "+14155552671"),
    ("+1.415.555.2671", "+1 415-555-2671", "+14155552671"),
    ("+49 30 901820", "+49 30 901820", "+4930901820"),
    ("+33 1 42 68 53 00", "+33 1 42 68 53 00", "+33142685300"),
    ("+81 3-3224-9999", "+81 3-3224-9999", "+81332249999"),
    ("+972 2-123-4567", "+972 2-123-4567", "+97221234567"),
    ("+44 20 7946 0958 ext. 12", "+44 20 7946 0958 ext. 12", "+442079460958x12"),
    ("(415) 555-2671", "(415) 555-2671", "4155552671"),
    ("415.555.2671", "415.555.2671", "4155552671"),
    ("555-0100 ext 12", "555-0100 ext. 12", "5550100x12"),
    ("555-0100 x12", "555-0100 ext. 12", "5550100x12"),
    ("555-0100#7", "555-0100 ext. 7", "5550100x7"),
    ("555-0100 EXT. 99", "555-0100 ext. 99", "5550100x99"),
    ("  020   7946 0958  ", "020 7946 0958", "02079460958"),
    ("112", "112", "112"),
    ("123456789012345", "123456789012345", "123456789012345"),
]

INVALID_PHONES = [
    ("", "phone is empty"),
    ("   ", "phone is empty"),
    ("12", "2 digits"),
    ("1234567890123456", "16 digits"),
    ("9" * 64, "64 digits"),
    ("9" * 65, "65 characters long"),
    ("call me", "contains characters other than digits"),
    ("555-CALL-NOW", "contains characters other than digits"),
    ("12+34", "contains characters other than digits"),
    ("++44 20 7946 0958", "contains characters other than digits"),
    ("+999 123 456", "not a valid international number"),
    ("+44 12", "not a valid international number"),
    ("555-0100 ext", "contains characters other than digits"),
    ("555-0100 ext 12345678901", "extension has 11 digits"),
    # Arabic-Indic digits: 555 0100 in another script.
    ("\u0665\u0665\u0665\u0660\u0661\u0660\u0660", "characters other than digits"),
    ("555;0100", "contains characters other than digits"),
]


@pytest.mark.parametrize(("raw", "text", "key"), VALID_PHONES)
def test_parse_phone_accepts_format(raw: str, text: str, key: str) -> None:
    phone = parse_phone(raw)
    assert phone.text == text
    assert phone.key == key


@pytest.mark.parametrize(("raw", "message"), INVALID_PHONES)
def test_parse_phone_rejects_format(raw: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_phone(raw)
    assert caught.value.field == "phone"
    assert message in caught.value.message


def test_phone_table_covers_at_least_20_formats() -> None:
    assert len(VALID_PHONES) + len(INVALID_PHONES) >= 20


def test_same_number_written_differently_shares_key() -> None:
    assert parse_phone("+44 20 7946 0958").key == parse_phone("+44 (20) 79460958").key
    assert parse_phone("(415) 555-2671").key == parse_phone("415.555.2671").key


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("  Ada   Lovelace ", "Ada Lovelace"),
        ("Zoë\tBrontë", "Zoë Brontë"),
        ("山田 太郎", "山田 太郎"),
        ("مرحبا بالعالم", "مرحبا بالعالم"),
        ("👩\u200d💻 Grace", "👩\u200d💻 Grace"),
        ("x" * 100, "x" * 100),
    ],
)
def test_parse_name_normalizes_whitespace(raw: str, text: str) -> None:
    assert parse_name(raw).text == text


def test_parse_name_key_is_case_folded() -> None:
    assert parse_name("Straße").key == "strasse"
    assert parse_name("ADA").key == parse_name("ada").key


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "name is empty"),
        (" \t\n ", "name is empty"),
        ("x" * 101, "101 characters long"),
        ("Ada\x00Lovelace", "control character U+0000"),
        ("Ada\x7f", "control character U+007F"),
        ("Ada\ud800", "control character U+D800"),
        ("\u200b", "no visible characters"),
        ("\u200d\u200b\u0301", "no visible characters"),
    ],
)
def test_parse_name_rejects(raw: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_name(raw)
    assert message in caught.value.message


def test_parse_user_id_canonicalizes_uuid() -> None:
    raw = "01A241E0-6908-7546-81EA-B3E6014130DF"
    assert parse_user_id(raw) == raw.lower()


@pytest.mark.parametrize(
    "raw", ["", "nope", "1", "01a241e0-6908-7546-81ea-b3e6014130dfx"]
)
def test_parse_user_id_rejects_malformed(raw: str) -> None:
    assert parse_user_id(raw) is None
