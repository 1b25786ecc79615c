from odoo import models

from ..tools import SmsApiTwilioGroupNumber


class ResCompany(models.Model):
    _inherit = "res.company"

    def _get_sms_api_class(self):
        api_class = super()._get_sms_api_class()
        if issubclass(SmsApiTwilioGroupNumber, api_class):
            return SmsApiTwilioGroupNumber
        return api_class
