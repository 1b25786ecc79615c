from odoo import models
from odoo.exceptions import ValidationError

from ..tools import SmsApiTwilioGroupNumber


class ResCompany(models.Model):
    _inherit = "res.company"

    def _get_sms_api_class(self):
        api_class = super()._get_sms_api_class()
        if issubclass(SmsApiTwilioGroupNumber, api_class):
            return SmsApiTwilioGroupNumber
        return api_class

    def _comms_format_phone(self, number):
        """`number` in E.164, national numbers read in this company's country, or
        False. The same formatting as `res.partner.phone_sanitized`, which customer
        matching searches on."""
        company = self[:1] or self.env.company
        return company._phone_format(
            number=(number or "").strip(),
            country=company.country_id,
            force_format="E164",
        )

    def _comms_check_phone(self, number):
        """`number` in E.164, or a ValidationError naming it."""
        formatted = self._comms_format_phone(number)
        if not formatted:
            raise ValidationError(
                self.env._(
                    "“%(number)s” is not a valid phone number. Enter it in "
                    "international format, e.g. +33612345678.",
                    number=number,
                )
            )
        return formatted
