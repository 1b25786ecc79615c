from . import sms_webhook
