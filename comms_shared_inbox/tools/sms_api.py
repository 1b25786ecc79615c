import logging

import requests

from odoo.addons.sms_twilio.tools.sms_api import SmsApiTwilio
from odoo.addons.sms_twilio.tools.sms_twilio import get_twilio_status_callback_url

_logger = logging.getLogger(__name__)


class SmsApiTwilioGroupNumber(SmsApiTwilio):
    """Twilio, sending a conversation's SMS from its group's own number.

    Odoo picks the company's Twilio number by destination country; a shared inbox
    answers from the number the customer texted, so replies stay in one thread on the
    customer's phone.
    """

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        uuids = [n["uuid"] for m in messages for n in m.get("numbers") or []]
        # sudo: the SMS queue is sent by the cron, for conversations of any group
        sms = self.env["sms.sms"].sudo().search([("uuid", "in", uuids)])
        conversations = self.env["comms.conversation"].sudo()
        self._group_numbers = {
            s.uuid: conversations.browse(s.mail_message_id.res_id).group_id.sms_number
            for s in sms
            if s.mail_message_id.model == "comms.conversation"
        }
        return super()._send_sms_batch(messages, delivery_reports_url)

    def _sms_twilio_send_request(self, session, to_number, body, uuid):
        # Mirrors Odoo 18.0 sms_twilio/tools/sms_api.py SmsApiTwilio
        # ._sms_twilio_send_request, with the group's number as "From".
        from_number = getattr(self, "_group_numbers", {}).get(uuid)
        if not from_number:
            return super()._sms_twilio_send_request(session, to_number, body, uuid)
        company_sudo = (self.company or self.env.company).sudo()
        company_sudo._assert_twilio_sid()
        account = company_sudo.sms_twilio_account_sid
        try:
            return session.post(
                f"https://api.twilio.com/2010-04-01/Accounts/{account}/Messages.json",
                data={
                    "From": from_number,
                    "To": to_number,
                    "Body": body,
                    "StatusCallback": get_twilio_status_callback_url(
                        company_sudo, uuid
                    ),
                },
                auth=(account, company_sudo.sms_twilio_auth_token),
                timeout=5,
            )
        except requests.exceptions.RequestException as error:
            _logger.warning("Twilio SMS API error: %s", error)
        return None
