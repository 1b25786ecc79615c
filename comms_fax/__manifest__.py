{
    "name": "Comms Fax",
    "summary": "One fax line per group: faxes in the shared inbox, send, port numbers",
    "version": "18.0.1.0.0",
    "category": "Productivity/Discuss",
    "website": "https://github.com/comms-suite/comms",
    "author": "Comms Suite",
    "license": "LGPL-3",
    "depends": ["comms_shared_inbox"],
    "external_dependencies": {
        "python": ["phonenumbers", "pypdf", "requests", "cryptography"]
    },
    "data": [
        "security/comms_fax_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/comms_document_kind_data.xml",
        "wizards/comms_fax_send_views.xml",
        "views/comms_fax_provider_views.xml",
        "views/comms_fax_line_views.xml",
        "views/comms_fax_views.xml",
        "views/comms_fax_port_request_views.xml",
        "views/comms_group_views.xml",
        "views/comms_conversation_views.xml",
        "views/comms_fax_menus.xml",
    ],
    "demo": ["demo/comms_fax_demo.xml"],
    "assets": {
        "web.assets_tests": ["comms_fax/static/tests/tours/*.js"],
    },
}
