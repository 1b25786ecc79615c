from . import call_restriction
