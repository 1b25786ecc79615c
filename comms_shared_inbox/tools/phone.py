import phonenumbers


def normalize_phone(number, region=None):
    """Return `number` in E.164, or None when it is not a valid phone number.

    `region` (an ISO country code) reads national numbers such as "0612345678".
    """
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
