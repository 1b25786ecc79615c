from odoo import fields, models, tools


class CommsAbsorbedChargeReport(models.Model):
    """The plan lines' fees not invoiced while accounts were suspended, per month:
    the monthly amount times the days of the month in the suspension, over the
    days of that month. An ongoing suspension counts up to today."""

    _name = "comms.absorbed.charge.report"
    _description = "Charges Absorbed During Billing Suspensions"
    _auto = False
    _order = "month desc, account_id, product_id"
    # What the view reads, flushed before any search on it.
    _depends = {
        "comms.account.suspension": [
            "account_id",
            "company_id",
            "date_start",
            "date_end",
        ],
        "comms.account.line": ["account_id", "product_id", "quantity", "price_unit"],
        "res.company": ["currency_id"],
    }

    month = fields.Date(readonly=True)
    suspension_id = fields.Many2one("comms.account.suspension", readonly=True)
    account_id = fields.Many2one("comms.account", readonly=True)
    company_id = fields.Many2one("res.company", string="Reseller", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one(
        "product.product", string="Plan or Option", readonly=True
    )
    quantity = fields.Float(readonly=True, aggregator=None)
    monthly_amount = fields.Monetary(readonly=True, aggregator=None)
    days = fields.Integer(string="Days Suspended", readonly=True)
    month_days = fields.Integer(string="Days in Month", readonly=True, aggregator=None)
    amount = fields.Monetary(string="Absorbed Amount", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # One row per suspension, plan line and month. The end day is excluded:
        # that day the account is billed again (or is no longer the client's).
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT
                    row_number() OVER (
                        ORDER BY s.id, l.id, period.month_start
                    ) AS id,
                    period.month_start AS month,
                    s.id AS suspension_id,
                    s.account_id,
                    s.company_id,
                    company.currency_id,
                    l.product_id,
                    l.quantity,
                    l.quantity * l.price_unit AS monthly_amount,
                    period.days,
                    period.month_days,
                    ROUND(
                        (l.quantity * l.price_unit * period.days
                            / period.month_days)::numeric,
                        2
                    ) AS amount
                FROM comms_account_suspension s
                JOIN res_company company ON company.id = s.company_id
                JOIN comms_account_line l ON l.account_id = s.account_id
                CROSS JOIN LATERAL (
                    SELECT COALESCE(s.date_end, CURRENT_DATE + 1) AS date_stop
                ) stop
                CROSS JOIN LATERAL (
                    SELECT
                        m.month_start,
                        LEAST(stop.date_stop, m.next_month)
                            - GREATEST(s.date_start, m.month_start) AS days,
                        m.next_month - m.month_start AS month_days
                    FROM (
                        SELECT
                            g::date AS month_start,
                            (g + INTERVAL '1 month')::date AS next_month
                        FROM generate_series(
                            date_trunc('month', s.date_start),
                            stop.date_stop - 1,
                            INTERVAL '1 month'
                        ) g
                    ) m
                ) period
                WHERE stop.date_stop > s.date_start
            )
            """
        )
