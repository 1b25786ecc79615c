import email
import email.policy
from xmlrpc.client import Binary

from odoo import api, models

from ..tools import mime_repair
from ..tools.machine_mail import is_machine_mail


class MailThread(models.AbstractModel):
    """The mail gateway's side of the shared inbox. Its sudo() calls read groups,
    aliases and the message log, which the gateway's user (often nobody's) may not
    see, to route mail to every group it was sent to."""

    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        result = super().message_process(
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )
        if result:
            return result
        # Odoo dropped the delivery: its Message-Id is known already (mail servers
        # deliver once per recipient address), it is a bounce, or it looks like a
        # loop. Mail to a shared inbox still reaches each group it was sent to, or
        # leaves a record there.
        parsed = email.message_from_bytes(_as_bytes(message), policy=email.policy.SMTP)
        msg_dict = self.message_parse(parsed)
        if msg_dict.get("is_bounce"):
            return result  # recorded by _routing_handle_bounce
        groups = self.env["comms.group"].sudo()._find_by_recipients(msg_dict)
        if not groups:
            return result
        if self._comms_groups_having(msg_dict["message_id"], groups) == groups:
            return result  # a repeated delivery to the same groups
        already = (
            self.env["mail.message"]
            .sudo()
            .search_count([("message_id", "=", msg_dict["message_id"])], limit=1)
        )
        if already:
            return self._message_route_process(parsed, msg_dict, [])
        self.env["comms.inbound.error"].sudo()._record_email(
            parsed, msg_dict, "unrouted", groups
        )
        return result

    @api.model
    def message_parse(self, message, save_original=False):
        # Parse a repaired copy: Odoo's parser drops the parts of a multipart whose
        # boundary does not match, and mangles an attachment without a subtype.
        malformed = mime_repair.is_malformed(message)
        repaired = malformed and mime_repair.needs_repair(message)
        msg_dict = super().message_parse(
            mime_repair.repair(message) if repaired else message,
            save_original=save_original,
        )
        if malformed and not save_original:
            msg_dict["attachments"].append(
                self._Attachment("original_email.eml", message.as_string(), {})
            )
        return msg_dict

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        if not message_dict.get("is_bounce"):  # reports never open a conversation
            routes = list(routes) + self._comms_missing_group_routes(
                message_dict, routes
            )
        if is_machine_mail(message):
            # The parsed dict keeps no headers; the shared inbox must not auto-reply.
            self = self.with_context(comms_auto_submitted=True)
        self._comms_keep_original(message, message_dict, routes)
        return super()._message_route_process(message, message_dict, routes)

    @api.model
    def _comms_missing_group_routes(self, message_dict, routes):
        """Routes to the groups the message was sent to but that Odoo does not route
        it to: a repeated Message-Id, or a reply routed to one group's thread."""
        groups = self.env["comms.group"].sudo()._find_by_recipients(message_dict)
        if not groups:
            return []
        missing = (
            groups
            - self._comms_route_groups(routes)
            - self._comms_groups_having(message_dict["message_id"], groups)
        )
        return [
            (
                "comms.conversation",
                False,
                {"group_id": group.id},
                self._mail_find_user_for_gateway(
                    message_dict.get("email_from"), alias=group.alias_id
                ).id
                or self._uid,
                group.alias_id,
            )
            for group in missing
        ]

    @api.model
    def _comms_route_groups(self, routes):
        groups = self.env["comms.group"].sudo()
        for model, thread_id, custom_values, _user_id, _alias in routes:
            if model != "comms.conversation":
                continue
            if thread_id:
                groups |= self.env[model].sudo().browse(thread_id).group_id
            else:
                groups |= groups.browse((custom_values or {}).get("group_id"))
        return groups

    @api.model
    def _comms_groups_having(self, rfc_message_id, groups):
        """Those of `groups` whose conversations hold the mail `rfc_message_id`."""
        if not rfc_message_id:
            return self.env["comms.group"]
        logged = (
            self.env["comms.message"]
            .sudo()
            .search(
                [
                    ("rfc_message_id", "=", rfc_message_id),
                    ("group_id", "in", groups.ids),
                ]
            )
        )
        return logged.group_id

    @api.model
    def _comms_keep_original(self, message, message_dict, routes):
        """Attach the raw message for groups that keep every original."""
        if any(
            name == "original_email.eml" for name, *_ in message_dict["attachments"]
        ):
            return
        if any(self._comms_route_groups(routes).mapped("keep_original_email")):
            message_dict["attachments"].append(
                self._Attachment("original_email.eml", message.as_string(), {})
            )

    @api.model
    def _message_parse_extract_bounce(self, email_message, message_dict):
        bounce = super()._message_parse_extract_bounce(email_message, message_dict)
        report_kind = self.env["comms.inbound.error"]._report_kind(email_message)
        if bounce.get("is_bounce") and report_kind != "bounce":
            # A read receipt or a "delivered" report is no bounce: Odoo would count
            # it against the customer and mark their message undelivered.
            bounce["bounced_email"] = False
            bounce["bounced_partner"] = self.env["res.partner"].sudo()
        return bounce

    @api.model
    def _routing_handle_bounce(self, email_message, message_dict):
        result = super()._routing_handle_bounce(email_message, message_dict)
        self.env["comms.inbound.error"].sudo()._record_report(
            email_message, message_dict
        )
        return result


def _as_bytes(message):
    """The raw message as message_process receives it (bytes, str or xmlrpc)."""
    if isinstance(message, Binary):
        return bytes(message.data)
    if isinstance(message, str):
        return message.encode()
    return message
