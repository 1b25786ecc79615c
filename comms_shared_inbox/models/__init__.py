from . import comms_group
from . import comms_conversation
from . import comms_message
from . import comms_inbound_error
from . import mail_thread
from . import res_company
from . import res_partner
