from . import comms_account_message
from . import comms_account_provisioning_code
from . import sms_resend_recipient
from . import comms_call_rule_test
from . import comms_account_affiliate
from . import comms_account_affiliate_line
from . import comms_account_unaffiliate
