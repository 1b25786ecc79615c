from . import sms_webhook
from . import thread
from . import presence
from . import oauth_sign_in
