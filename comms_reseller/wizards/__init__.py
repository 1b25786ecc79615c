from . import comms_account_message
from . import sms_resend_recipient
from . import comms_call_rule_test
