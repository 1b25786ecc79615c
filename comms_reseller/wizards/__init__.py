from . import comms_account_message
from . import comms_account_affiliate
from . import comms_account_affiliate_line
from . import comms_account_unaffiliate
