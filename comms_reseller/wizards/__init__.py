from . import comms_account_message
from . import comms_account_provisioning_code
