"""Monthly invoicing of the resellers' subscriber accounts: 5,000 accounts in
production with 3 plan lines each, invoiced by the monthly run (OCA contract's own
scheduled action, which the accounts' contracts use as is), next to creating the
same invoices with one batched account.move.create. The same run at 500 accounts
shows whether the queries per account stay flat."""

import os

from benchlib import Measure, environment, parse_args, report

from odoo import Command

ACCOUNTS = int(os.environ.get("BENCH_RESELLER_ACCOUNTS", 5000))
SMALL_ACCOUNTS = int(os.environ.get("BENCH_RESELLER_SMALL_ACCOUNTS", 500))
BATCH = 500


def ensure_accounting(env):
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading(
            "generic_coa", company, install_demo=False
        )
    products = env["product.product"].create(
        [
            {"name": name, "type": "service", "comms_kind": kind, "lst_price": price}
            for name, kind, price in (
                ("Bench plan", "plan", 30.0),
                ("Bench fax option", "option", 10.0),
                ("Bench SMS option", "option", 5.0),
            )
        ]
    )
    company.comms_allowed_product_ids = [
        Command.link(t.id) for t in products.product_tmpl_id
    ]
    return products


def make_accounts(env, count, tag, products):
    """count accounts in production, each with its administrator and 3 lines."""
    accounts = env["comms.account"]
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        partners = env["res.partner"].create(
            [{"name": f"Bench {tag} {n}", "is_company": True} for n in numbers]
        )
        accounts |= env["comms.account"].create(
            [
                {
                    "partner_id": partner.id,
                    "billing_status": "production",
                    "user_ids": [
                        Command.create(
                            {
                                "name": f"Admin {tag} {n}",
                                "email": f"a{n}@{tag}.example.com",
                            }
                        )
                    ],
                    "line_ids": [
                        Command.create({"product_id": product.id})
                        for product in products
                    ],
                }
                for n, partner in zip(numbers, partners, strict=True)
            ]
        )
        env.flush_all()
        env.invalidate_all()
    return accounts


def monthly_run(env, accounts):
    """(run Measure, baseline Measure) for these accounts' first period."""
    contracts = accounts.contract_id
    # Every contract is due, also when making the accounts went past midnight.
    date_ref = max(contracts.mapped("recurring_next_date"))
    # The same invoices' values, prepared outside the measured blocks; preparing
    # them moves the contracts' dates, hence the savepoint rolled back.
    with env.cr.savepoint(flush=True) as savepoint:
        vals_list = contracts._prepare_recurring_invoices_values(date_ref)
        savepoint.rollback()
    env.invalidate_all()
    Contract = env["contract.contract"]
    with Measure(env.cr) as run:
        Contract.cron_recurring_create_invoice(date_ref)
    invoices = env["account.move"].search(
        [("invoice_line_ids.contract_line_id.contract_id", "in", contracts.ids)]
    )
    assert len(invoices) == len(accounts) == len(vals_list), (
        len(invoices),
        len(accounts),
        len(vals_list),
    )
    assert len(invoices.invoice_line_ids) == 3 * len(accounts)
    # Idempotent: a second run the same day invoices nothing more.
    Contract.cron_recurring_create_invoice(date_ref)
    assert env["account.move"].search_count(
        [("invoice_line_ids.contract_line_id.contract_id", "in", contracts.ids)]
    ) == len(accounts)
    env.invalidate_all()
    with Measure(env.cr) as baseline:
        env["account.move"].create(vals_list)
    return run, baseline


def main():
    args = parse_args()
    with environment(args.database) as env:
        products = ensure_accounting(env)
        small = make_accounts(env, SMALL_ACCOUNTS, "s", products)
        small_run, _small_baseline = monthly_run(env, small)
        accounts = make_accounts(env, ACCOUNTS, "l", products)
        run, baseline = monthly_run(env, accounts)
        report(
            "reseller_monthly_invoicing",
            accounts=ACCOUNTS,
            seconds=round(run.seconds, 2),
            baseline_seconds=round(baseline.seconds, 2),
            ratio=round(run.seconds / baseline.seconds, 2),
            queries_per_account=round(run.queries / ACCOUNTS, 2),
            queries_per_account_at_500=round(small_run.queries / SMALL_ACCOUNTS, 2),
            baseline_queries_per_account=round(baseline.queries / ACCOUNTS, 2),
        )


if __name__ == "__main__":
    main()
