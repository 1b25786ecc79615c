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

registry.category("web_tour.tours").add("comms_virtual_office_open_mail_item", {
  steps: () => [
    {
      content: "Open the item in its form from the Mail Items list",
      trigger:
        ".o_data_row:contains('Tour sender') .o_list_record_open_form_view button",
      run: "click",
    },
    {
      content: "The form shows the scans and the costs",
      trigger: ".o_form_view .o_notebook:contains('Scans'):contains('Extra Costs')",
    },
    {
      content: "Tell the client",
      trigger:
        ".o_form_view button[name='action_notify_client']:contains('Notify Client')",
      run: "click",
    },
    {
      content: "Staff see that the client was notified",
      trigger: ".o_notification:contains('Client notified by email')",
    },
    {
      content: "The button now offers to notify again",
      trigger: ".o_form_view button[name='action_notify_client']:contains('Again')",
    },
    {
      content: "The client collected the item",
      trigger: ".o_form_view button[name='action_set_collected']",
      run: "click",
    },
    {
      content: "The item is collected",
      trigger:
        ".o_statusbar_status button.o_arrow_button_current:contains('Collected')",
    },
  ],
});

registry.category("web_tour.tours").add("comms_virtual_office_invoice_from_summary", {
  steps: () => [
    {
      content: "The summary offers to create the invoices",
      trigger: ".o_control_panel button.o_office_create_invoices",
      run: "click",
    },
    {
      content: "Create the invoices of the period",
      trigger: ".modal button[name='action_create_invoices']",
      run: "click",
    },
    {
      content: "The invoice list shows each customer and its amount",
      trigger:
        ".o_list_view .o_data_row:contains('Alpha Consulting'):contains('11.35')",
    },
    {
      content: "and the other customer",
      trigger: ".o_list_view .o_data_row:contains('Beta Trading'):contains('12.00')",
    },
  ],
});

/** Fail unless `element` lies within the screen's width. */
function assertOnScreen(element, what) {
  const rect = element.getBoundingClientRect();
  if (rect.left < 0 || rect.right > window.innerWidth) {
    throw new Error(
      `${what} is off-screen (${rect.left}-${rect.right} of ${window.innerWidth} px)`
    );
  }
}

registry.category("web_tour.tours").add("comms_virtual_office_my_mail_phone", {
  url: "/my/mail",
  steps: () => [
    {
      content: "Each item is a card: its status and + button fit the phone's width",
      trigger: "tr.o_office_mail_item:contains('Tour sender') a.o_office_request_scan",
      run() {
        const item = this.anchor.closest("tr.o_office_mail_item");
        assertOnScreen(this.anchor, "The + scan button");
        assertOnScreen(item.querySelector(".o_office_state"), "The status");
        const scroller = item.closest(".table-responsive");
        if (scroller.scrollWidth > scroller.clientWidth) {
          throw new Error("The list of mail scrolls sideways");
        }
      },
    },
    {
      content: "Request the scan from the card",
      trigger: "tr.o_office_mail_item:contains('Tour sender') a.o_office_request_scan",
      run: "click",
    },
    {
      content: "The confirmation text is shown",
      trigger: ".o_office_confirmation_text:contains('Scanning may be charged extra')",
    },
  ],
});
