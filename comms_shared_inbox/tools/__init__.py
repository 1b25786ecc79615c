from .phone import normalize_phone
from .sms_api import SmsApiTwilioGroupNumber
