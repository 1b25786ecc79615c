from . import comms_office_package
from . import res_company
from . import res_partner
from . import comms_mail_item
from . import comms_scan_request
from . import comms_mail_item_cost
from . import account_move_line
from . import res_config_settings
