-- Orders (受注) and their lines, status history and idempotency keys (issue 5, seed 004).
-- Sized for 10,000,000 orders per tenant (DESIGN.md §7): every list is a keyset scan on an index
-- that leads with tenant_id. Money is integer yen; an order keeps the prices, tax mode, rounding
-- and per-rate taxes it was registered with (a later master change never rewrites an invoice).

CREATE TABLE order_counters (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  last_number bigint NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);

-- status: received 受付 → instructed 出荷指示 (its carrier file was exported) → shipped 出荷済
-- → completed 完了; cancelled キャンセル; returned 返品.
-- kind (伝票区分): normal 通常, subscription 定期 (made by a subscription, issue 6).
CREATE TABLE orders (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  number bigint NOT NULL CHECK (number > 0),
  customer_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'instructed', 'shipped', 'completed', 'cancelled', 'returned')),
  kind text NOT NULL DEFAULT 'normal' CHECK (kind IN ('normal', 'subscription')),
  -- The subscription delivery this order is (issue 6): at most one order per delivery.
  subscription_id uuid,
  subscription_delivery_date date,
  subscription_delivery_seq integer CHECK (subscription_delivery_seq > 0),
  -- 区分 (how it came in) and 振分区分 (a tenant's own sorting code).
  channel text NOT NULL DEFAULT 'phone' CHECK (channel IN ('phone', 'fax', 'mail', 'web', 'subscription', 'other')),
  sort_code text CHECK (length(sort_code) <= 20),
  ordered_at timestamptz NOT NULL,
  -- 受付日 (Asia/Tokyo), 出荷予定日, お届け予定日, お届け希望日.
  order_date date NOT NULL,
  ship_date date NOT NULL,
  delivery_date date,
  desired_delivery_date date,
  carrier text NOT NULL CHECK (carrier IN ('yamato', 'sagawa', 'japanpost')),
  time_slot text CHECK (length(time_slot) <= 10),
  origin_id uuid,
  -- お届け先 as it was when ordered (address_id: the customer's 送付先 it came from, NULL: home).
  address_id uuid,
  ship_name text NOT NULL CHECK (length(ship_name) BETWEEN 1 AND 100),
  ship_kana text CHECK (length(ship_kana) <= 100),
  ship_postal_code text CHECK (ship_postal_code ~ '^\d{3}-\d{4}$'),
  ship_prefecture text CHECK (length(ship_prefecture) <= 10),
  ship_city text CHECK (length(ship_city) <= 100),
  ship_address1 text CHECK (length(ship_address1) <= 200),
  ship_address2 text CHECK (length(ship_address2) <= 200),
  ship_company text CHECK (length(ship_company) <= 100),
  ship_department text CHECK (length(ship_department) <= 100),
  ship_phone text CHECK (length(ship_phone) <= 40),
  payment_method_id uuid,
  payment_kind text CHECK (payment_kind IN ('cod', 'bank_transfer', 'card', 'deferred', 'convenience', 'other')),
  campaign_id uuid,
  ad_medium_id uuid,
  -- 担当者: who took the order.
  staff_id uuid,
  note text CHECK (length(note) <= 1000),
  -- Money, integer yen. price_mode and rounding: the tenant's when the order was registered.
  price_mode text NOT NULL CHECK (price_mode IN ('included', 'excluded')),
  rounding text NOT NULL CHECK (rounding IN ('floor', 'round', 'ceil')),
  subtotal integer NOT NULL CHECK (subtotal >= 0),
  shipping_fee integer NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
  payment_fee integer NOT NULL DEFAULT 0 CHECK (payment_fee >= 0),
  discount integer NOT NULL DEFAULT 0 CHECK (discount >= 0),
  -- [{ rate, taxableAmount, tax }] per rate, one rounding per rate (適格請求書).
  taxes jsonb NOT NULL CHECK (jsonb_typeof(taxes) = 'array'),
  tax_total integer NOT NULL CHECK (tax_total >= 0),
  total integer NOT NULL CHECK (total >= 0),
  -- 原価 of the goods (gross profit reports).
  cost_total integer NOT NULL DEFAULT 0 CHECK (cost_total >= 0),
  -- 入金: what has been received against total (payments, issue 5).
  paid_amount integer NOT NULL DEFAULT 0,
  tracking_number text CHECK (length(tracking_number) <= 30),
  instructed_at timestamptz,
  shipped_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason_id uuid,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  CHECK ((subscription_id IS NULL) = (subscription_delivery_date IS NULL)),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, origin_id) REFERENCES shipping_origins (tenant_id, id),
  FOREIGN KEY (tenant_id, address_id) REFERENCES customer_addresses (tenant_id, id) ON DELETE SET NULL (address_id),
  FOREIGN KEY (tenant_id, payment_method_id) REFERENCES payment_methods (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, ad_medium_id) REFERENCES ad_media (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, cancel_reason_id) REFERENCES reasons (tenant_id, id)
);
CREATE UNIQUE INDEX orders_number_key ON orders (tenant_id, number);
-- Exactly once per subscription delivery (issue 6).
CREATE UNIQUE INDEX orders_subscription_delivery_key ON orders (tenant_id, subscription_id, subscription_delivery_date)
  WHERE subscription_id IS NOT NULL;
-- 購入履歴: a customer's orders, newest first.
CREATE INDEX orders_customer_idx ON orders (tenant_id, customer_id, ordered_at DESC, id DESC);
-- 受注一覧 newest first, and by ship date (出荷確認一覧表, carrier exports, reports).
CREATE INDEX orders_ordered_idx ON orders (tenant_id, ordered_at DESC, id DESC);
CREATE INDEX orders_ship_date_idx ON orders (tenant_id, ship_date, status, carrier, number);
CREATE INDEX orders_status_idx ON orders (tenant_id, status, ordered_at DESC, id DESC);
CREATE INDEX orders_tracking_idx ON orders (tenant_id, tracking_number) WHERE tracking_number IS NOT NULL;
CREATE INDEX orders_subscription_idx ON orders (tenant_id, subscription_id, subscription_delivery_date)
  WHERE subscription_id IS NOT NULL;

-- Lines. kind: item (sold), present (a campaign's present, 0 yen), component (a set's content or a
-- companion, 0 yen, parent_line the line it belongs to). amount = unit_price × quantity in the
-- order's price mode; discount lines do not exist: the order's discount is allocated to rates in
-- its taxes.
CREATE TABLE order_lines (
  tenant_id uuid NOT NULL,
  order_id uuid NOT NULL,
  line_no smallint NOT NULL CHECK (line_no > 0),
  kind text NOT NULL DEFAULT 'item' CHECK (kind IN ('item', 'present', 'component')),
  parent_line smallint,
  product_id uuid NOT NULL,
  product_code text NOT NULL,
  product_name text NOT NULL,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
  unit_price integer NOT NULL CHECK (unit_price >= 0),
  amount integer NOT NULL CHECK (amount >= 0),
  tax_rate smallint NOT NULL CHECK (tax_rate IN (8, 10)),
  unit_cost integer NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),
  -- Returned so far (返品).
  returned_quantity integer NOT NULL DEFAULT 0 CHECK (returned_quantity >= 0),
  PRIMARY KEY (tenant_id, order_id, line_no),
  CHECK (returned_quantity <= quantity),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
-- Reports by product (商品別出荷個数) read lines by product.
CREATE INDEX order_lines_product_idx ON order_lines (tenant_id, product_id, order_id);

-- Every change of an order: created, edited (before/after), status changes, cancel, export,
-- tracking, payment, return. Append-only.
CREATE TABLE order_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Insertion order: events of the same instant read in the order they happened.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  order_id uuid NOT NULL,
  at timestamptz NOT NULL,
  user_id uuid,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z_]*$' AND length(kind) <= 40),
  data jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(data) = 'object'),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX order_events_order_idx ON order_events (tenant_id, order_id, seq);

-- Idempotency-Key for money-bearing writes (DESIGN.md): the first request's body hash and the
-- resource it made. scope: 'orders', 'payments' …; a replay with the same key and hash returns
-- the resource, another hash is a 409.
CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  scope text NOT NULL CHECK (length(scope) <= 40),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request_hash text NOT NULL,
  resource_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['order_counters', 'orders', 'order_lines', 'order_events', 'idempotency_keys'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON order_counters, orders TO madoguchi_app;
-- An edit while 受付 replaces the lines.
GRANT SELECT, INSERT, UPDATE, DELETE ON order_lines TO madoguchi_app;
GRANT SELECT, INSERT ON order_events, idempotency_keys TO madoguchi_app;
