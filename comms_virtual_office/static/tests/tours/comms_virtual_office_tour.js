import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("comms_virtual_office_request_scan", {
  url: "/my/mail",
  steps: () => [
    {
      content: "The item waits at the office and can be scanned",
      trigger:
        "tr.o_office_mail_item:contains('Tour sender') .o_office_state:contains('To collect')",
    },
    {
      content: "Request a scan with the + button",
      trigger: "tr.o_office_mail_item:contains('Tour sender') a.o_office_request_scan",
      run: "click",
    },
    {
      content: "The confirmation text is shown",
      trigger: ".o_office_confirmation_text:contains('Scanning may be charged extra')",
    },
    {
      content: "Confirm the request",
      trigger: "button.o_office_confirm_scan",
      run: "click",
    },
    {
      content: "The request is acknowledged",
      trigger: ".o_office_scan_requested",
    },
    {
      content: "The item shows the pending request, without the + button",
      trigger:
        "tr.o_office_mail_item:contains('Tour sender'):not(:has(a.o_office_request_scan)) .o_office_scan_pending",
    },
  ],
});

registry.category("web_tour.tours").add("comms_virtual_office_download_scan", {
  url: "/my/mail",
  steps: () => [
    {
      content: "The scan is offered for download",
      trigger:
        "tr.o_office_mail_item:contains('Tour sender') a.o_office_scan_download:contains('tour-scan.pdf')",
    },
    {
      content: "The request is no longer pending",
      trigger:
        "tr.o_office_mail_item:contains('Tour sender'):not(:has(.o_office_scan_pending))",
    },
  ],
});
