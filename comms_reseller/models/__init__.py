from . import product_template
from . import res_company
from . import comms_account
from . import comms_account_user
from . import comms_account_line
from . import comms_number
