"""Rules for names, phone numbers and ids, and the canonical forms stored with them."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

import phonenumbers

from phonebook.api.tables import NAME_MAX_LENGTH, PHONE_MAX_LENGTH

PHONE_MIN_DIGITS = 3
PHONE_MAX_DIGITS = 15  # The ITU E.164 maximum.
EXTENSION_MAX_DIGITS = 10

# A number made of digits and the usual separators, an optional leading +, then an
# optional extension introduced by "ext", "x" or "#". ASCII digits only: \d would
# also take Arabic-Indic and other digits, which no dialler accepts.
_PHONE_PATTERN = re.compile(
    r"""
    (?P<number>\+?[0-9 ().-]*[0-9][0-9 ().-]*?)
    \s*
    (?:(?:ext\.?|x|\#)\s*(?P<extension>[0-9]+))?
    """,
    re.ASCII | re.IGNORECASE | re.VERBOSE,
)
# Control characters and lone surrogates cannot be shown or stored as utf8mb4.
_FORBIDDEN_NAME_CATEGORIES = frozenset({"Cc", "Cs"})
# Format characters (such as the zero-width joiner inside emoji), separators and
# combining marks show nothing on their own, so a name needs one other character.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp", "Mn", "Mc", "Me"})


class FieldError(ValueError):
    """A field is missing or invalid; the message names it and the fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    key: str  # Case-folded; entries are listed in this order.


@dataclass(frozen=True, slots=True)
class Phone:
    text: str  # As shown: international numbers formatted by phonenumbers.
    key: str  # Canonical: two entries may not share it.


def parse_name(raw: str) -> Name:
    """Trim `raw`, collapse inner whitespace and check length and characters."""
    text = " ".join(raw.split())
    if not text:
        raise FieldError(
            "name", f"name is empty: send 1 to {NAME_MAX_LENGTH} characters."
        )
    if len(text) > NAME_MAX_LENGTH:
        raise FieldError(
            "name",
            f"name is {len(text)} characters long: shorten it to at most "
            f"{NAME_MAX_LENGTH}.",
        )
    for character in text:
        if unicodedata.category(character) in _FORBIDDEN_NAME_CATEGORIES:
            raise FieldError(
                "name",
                f"name contains the control character U+{ord(character):04X}: "
                "remove it.",
            )
    if all(unicodedata.category(c) in _INVISIBLE_CATEGORIES for c in text):
        raise FieldError(
            "name",
            "name has no visible characters: send at least one letter, digit or "
            "symbol.",
        )
    return Name(text=text, key=text.casefold())


def parse_phone(raw: str) -> Phone:
    """Check a phone number and return its display and canonical forms."""
    stripped = raw.strip()
    if not stripped:
        raise FieldError(
            "phone",
            f"phone is empty: send {PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS} digits, "
            "such as +44 20 7946 0958.",
        )
    if len(stripped) > PHONE_MAX_LENGTH:
        raise FieldError(
            "phone",
            f"phone is {len(stripped)} characters long: send at most "
            f"{PHONE_MAX_LENGTH}.",
        )
    match = _PHONE_PATTERN.fullmatch(stripped)
    if match is None:
        raise FieldError(
            "phone",
            f"phone {stripped!r} contains characters other than digits, spaces, "
            "- . ( ) and a leading +: an extension goes at the end, as in "
            "555-0100 ext 12.",
        )
    number = match["number"].strip()
    extension = match["extension"]
    digits = re.sub(r"[^0-9]", "", number)
    if not PHONE_MIN_DIGITS <= len(digits) <= PHONE_MAX_DIGITS:
        raise FieldError(
            "phone",
            f"phone has {len(digits)} digits before any extension: send "
            f"{PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS}.",
        )
    if extension is not None and len(extension) > EXTENSION_MAX_DIGITS:
        raise FieldError(
            "phone",
            f"phone extension has {len(extension)} digits: send at most "
            f"{EXTENSION_MAX_DIGITS}.",
        )
    suffix_text = f" ext. {extension}" if extension else ""
    suffix_key = f"x{extension}" if extension else ""

    if number.startswith("+"):
        international = parse_international(digits)
        return Phone(
            text=international[0] + suffix_text, key=international[1] + suffix_key
        )
    return Phone(text=" ".join(number.split()) + suffix_text, key=digits + suffix_key)


def parse_international(digits: str) -> tuple[str, str]:
    """Validate a number written with a leading + and return (display, E.164)."""
    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise FieldError(
            "phone",
            f"phone +{digits} is not a valid international number: check the "
            "country code and the digits, or leave out the + for a local number.",
        )
    return (
        phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        ),
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
    )


def parse_user_id(raw: str) -> str | None:
    """Return the canonical form of a user id, or None when it cannot be one."""
    if len(raw) != 36:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None
