from . import comms_account_message
from . import comms_unit_buy
