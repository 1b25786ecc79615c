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

// A one-page PDF, as a scanner would upload it.
const SCAN = [
  "%PDF-1.4",
  "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj",
  "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj",
  "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj",
  "trailer<</Root 1 0 R>>",
  "%%EOF",
].join("\n");

registry.category("web_tour.tours").add("comms_virtual_office_complete_scan", {
  steps: () => [
    {
      content: "Open the client's new scan request",
      trigger: ".o_data_row:contains('Tour sender') td[name='partner_id']",
      run: "click",
    },
    {
      content: "Attach the scan",
      trigger: ".o_field_many2many_binary button.o_attach",
      run() {
        const input = this.anchor
          .closest(".o_file_input")
          .querySelector("input[type='file']");
        const transfer = new DataTransfer();
        transfer.items.add(
          new File([SCAN], "tour-scan.pdf", {type: "application/pdf"})
        );
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", {bubbles: true}));
      },
    },
    {
      content: "The scan is uploaded",
      trigger: ".o_field_many2many_binary .o_attachment:contains('tour-scan')",
    },
    {
      content: "Tell the client what was scanned",
      trigger: ".o_field_widget[name='additional_info'] textarea",
      run: "edit Front page only.",
    },
    {
      content: "Mark the request as done",
      trigger: "button[name='action_done']",
      run: "click",
    },
    {
      content: "The request is done",
      trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
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
