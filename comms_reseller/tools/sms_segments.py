"""How many segments (billed messages) a text is sent as, counted as Odoo's own
SMS widget counts them (sms/static/src/components/sms_widget/fields_sms_widget.js):
GSM-7 texts are 160 characters in one segment, 153 per segment beyond; any other
character makes the text UCS-2: 70 in one, 67 per segment beyond. A line break
counts twice, as in the widget."""

import math
import re

GSM7 = re.compile(
    "^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,\\-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà]*$"
)


def sms_segments(body):
    body = body or ""
    length = len(body) + body.count("\n")
    if not length:
        return 0
    single, multi = (160, 153) if GSM7.match(body) else (70, 67)
    return 1 if length <= single else math.ceil(length / multi)
