from . import comms_absorbed_charge_report
