from . import comms_account_message
from . import comms_unit_buy
from . import comms_unit_transfer
from . import comms_unit_correction
from . import comms_unit_group_invite
from . import comms_unit_group_transfer
