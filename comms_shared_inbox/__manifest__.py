{
    "name": "Comms Shared Inbox",
    "version": "18.0.1.0.0",
    "license": "LGPL-3",
    "depends": ["mail"],
    "installable": True,
}
