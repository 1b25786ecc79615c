from odoo import models

# Headers that mark a message as written by a machine (RFC 3834 and common practice).
AUTO_HEADERS = {
    "Auto-Submitted": lambda v: v.strip().lower() != "no",
    "X-Autoreply": bool,
    "X-Autorespond": bool,
    "X-Auto-Response-Suppress": lambda v: "all" in v.lower() or "oof" in v.lower(),
    "Precedence": lambda v: v.strip().lower() in ("bulk", "junk", "list", "auto_reply"),
}


def is_auto_submitted(message):
    return any(
        check(str(message[header]))
        for header, check in AUTO_HEADERS.items()
        if message.get(header)
    )


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        # The parsed dict keeps no headers; the shared inbox needs to know whether a
        # machine wrote the mail so that it never auto-replies to it.
        if is_auto_submitted(message):
            self = self.with_context(comms_auto_submitted=True)
        return super()._message_route_process(message, message_dict, routes)
