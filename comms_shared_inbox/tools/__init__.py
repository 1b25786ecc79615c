from .caller_id import is_withheld_caller_id
from .sms_api import SmsApiTwilioGroupNumber
