-- 入金管理 (payments, bank statement imports, the matching queue, reminders) and 返品入力 (returns)
-- (issue 5, seed 004). Conventions as 0001: tenant_id leads every key and index; RLS ENABLEd and
-- FORCEd. Money is integer yen. Nothing here is ever deleted: a payment entered by mistake is
-- cancelled by a reversal row, a statement line that is no payment is dismissed.
--
-- An order's money: orders.total is what was invoiced; returns.refund_amount lowers what is due
-- (due = total − refunds, 0 for a cancelled order); orders.paid_amount is the sum of its payments
-- (receipts positive, reversals and refunds paid out negative), kept in step in the transaction
-- that writes a payment. balance = due − paid; a negative balance is a credit (過入金).

-- ---------------------------------------------------------------------------------------------
-- Statement imports: one row per file imported (not for dry runs).
-- kind: zengin 全銀協 入出金取引明細, bank_csv 銀行CSV, cod 代引き入金データ, deferred 後払い精算データ.
CREATE TABLE payment_imports (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('zengin', 'bank_csv', 'cod', 'deferred')),
  file_hash text NOT NULL CHECK (length(file_hash) = 64),
  rows integer NOT NULL CHECK (rows >= 0),
  imported integer NOT NULL CHECK (imported >= 0),
  duplicates integer NOT NULL CHECK (duplicates >= 0),
  matched integer NOT NULL CHECK (matched >= 0),
  queued integer NOT NULL CHECK (queued >= 0),
  amount bigint NOT NULL DEFAULT 0,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX payment_imports_created_idx ON payment_imports (tenant_id, created_at DESC, id DESC);

-- One line of a statement (a deposit). line_hash: SHA-256 of the line's own bytes (and its account
-- for bank files, and its occurrence within the file for identical lines): importing the same
-- file, or an overlapping statement, again adds nothing.
-- status: unmatched (in the queue), matched (payment_id), dismissed (not a customer payment).
CREATE TABLE statement_lines (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  import_id uuid NOT NULL,
  line_hash text NOT NULL CHECK (length(line_hash) = 64),
  row_no integer NOT NULL CHECK (row_no > 0),
  kind text NOT NULL CHECK (kind IN ('zengin', 'bank_csv', 'cod', 'deferred')),
  paid_on date NOT NULL,
  amount integer NOT NULL CHECK (amount > 0),
  payer_name text CHECK (length(payer_name) <= 100),
  reference text CHECK (length(reference) <= 200),
  tracking_number text CHECK (length(tracking_number) <= 30),
  order_number bigint,
  status text NOT NULL CHECK (status IN ('unmatched', 'matched', 'dismissed')),
  -- How it was matched: reference (an order number in the text), amount_kana, tracking,
  -- order_number (COD/後払い files), manual (from the queue).
  match_rule text CHECK (match_rule IN ('reference', 'amount_kana', 'tracking', 'order_number', 'manual')),
  payment_id uuid,
  -- Why it is in the queue, and the orders it may be for: [{ orderId, number, balance, customerName }].
  queue_reason text CHECK (queue_reason IN ('no_candidate', 'ambiguous', 'unconfirmed_reference', 'not_open')),
  candidates jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(candidates) = 'array'),
  dismiss_note text CHECK (length(dismiss_note) <= 500),
  resolved_by uuid,
  resolved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, import_id) REFERENCES payment_imports (tenant_id, id)
);
CREATE UNIQUE INDEX statement_lines_hash_key ON statement_lines (tenant_id, line_hash);
-- The queue (and its neighbours by status), oldest first.
CREATE INDEX statement_lines_status_idx ON statement_lines (tenant_id, status, paid_on, id);
CREATE INDEX statement_lines_import_idx ON statement_lines (tenant_id, import_id, row_no);

-- A payment. kind: receipt (money in, amount > 0), refund (money paid back, amount < 0),
-- reversal (cancels one receipt or refund: the opposite amount, reverses_id that row).
-- order_id NULL: money of the customer not applied to an order (a credit).
CREATE TABLE payments (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('receipt', 'refund', 'reversal')),
  order_id uuid,
  customer_id uuid NOT NULL,
  amount integer NOT NULL CHECK (amount <> 0),
  method text NOT NULL CHECK (method IN ('bank_transfer', 'cod', 'card', 'deferred', 'convenience', 'cash', 'other')),
  paid_on date NOT NULL,
  payer_name text CHECK (length(payer_name) <= 100),
  payer_kana text CHECK (length(payer_kana) <= 100),
  reference text CHECK (length(reference) <= 200),
  note text CHECK (length(note) <= 1000),
  source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'import', 'queue')),
  statement_line_id uuid,
  reverses_id uuid,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL)),
  CHECK (kind <> 'receipt' OR amount > 0),
  CHECK (kind <> 'refund' OR amount < 0),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, statement_line_id) REFERENCES statement_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, reverses_id) REFERENCES payments (tenant_id, id)
);
-- At most one reversal per payment.
CREATE UNIQUE INDEX payments_reverses_key ON payments (tenant_id, reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX payments_paid_on_idx ON payments (tenant_id, paid_on DESC, created_at DESC, id DESC);
CREATE INDEX payments_order_idx ON payments (tenant_id, order_id, created_at) WHERE order_id IS NOT NULL;
CREATE INDEX payments_customer_idx ON payments (tenant_id, customer_id, paid_on DESC, created_at DESC, id DESC);

ALTER TABLE statement_lines
  ADD FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id);

-- 督促: a reminder sent for an unpaid order, by e-mail (through the mail queue) or as a letter.
CREATE TABLE payment_reminders (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'letter')),
  balance integer NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX payment_reminders_order_idx ON payment_reminders (tenant_id, order_id, created_at DESC);

-- The unpaid list and the matching look at orders with something still to pay: a partial index
-- (most orders are paid) on what is left, so a statement line's amount finds its orders at once.
CREATE INDEX orders_open_balance_idx ON orders (tenant_id, (total - paid_amount))
  WHERE paid_amount < total AND status NOT IN ('cancelled', 'returned');
CREATE INDEX orders_open_date_idx ON orders (tenant_id, order_date, id)
  WHERE paid_amount < total AND status NOT IN ('cancelled', 'returned');

-- ---------------------------------------------------------------------------------------------
-- 返品: goods coming back from a shipped order. resolution: refund (返金, refund_amount lowers
-- what the order is due) or exchange (交換: exchange_lines are what goes out instead;
-- exchange_order_id the order made for them, when one was made).
CREATE TABLE returns (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  reason_id uuid NOT NULL,
  received_on date NOT NULL,
  resolution text NOT NULL CHECK (resolution IN ('refund', 'exchange')),
  restock boolean NOT NULL,
  -- The returned goods at the order's prices, tax included; refund_amount may be lower.
  computed_refund integer NOT NULL CHECK (computed_refund >= 0),
  refund_amount integer NOT NULL CHECK (refund_amount >= 0 AND refund_amount <= computed_refund),
  exchange_lines jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(exchange_lines) = 'array'),
  exchange_order_id uuid,
  note text CHECK (length(note) <= 1000),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, reason_id) REFERENCES reasons (tenant_id, id),
  FOREIGN KEY (tenant_id, exchange_order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX returns_order_idx ON returns (tenant_id, order_id, created_at);
CREATE INDEX returns_customer_idx ON returns (tenant_id, customer_id, received_on DESC, id DESC);
CREATE INDEX returns_received_idx ON returns (tenant_id, received_on DESC, id DESC);

CREATE TABLE return_lines (
  tenant_id uuid NOT NULL,
  return_id uuid NOT NULL,
  line_no smallint NOT NULL CHECK (line_no > 0),
  product_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  -- The returned part of the line's amount, in the order's price mode.
  amount integer NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (tenant_id, return_id, line_no),
  FOREIGN KEY (tenant_id, return_id) REFERENCES returns (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment_imports', 'statement_lines', 'payments', 'payment_reminders', 'returns',
    'return_lines'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT ON payments, payment_reminders, returns, return_lines TO madoguchi_app;
GRANT SELECT, INSERT, UPDATE ON payment_imports, statement_lines TO madoguchi_app;
