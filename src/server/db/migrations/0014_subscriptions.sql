-- 定期 (subscriptions): schedules, changes, generated deliveries and their exceptions (issue 6).
-- Exactly once: orders_subscription_delivery_key (0008) makes a second order for the same
-- (subscription, delivery date) impossible, and the subscription advances in the same
-- transaction as its order is made (src/server/modules/subscriptions/generate.ts).
-- The schedule rules are pure code (src/shared/subscriptions/schedule.ts): delivery n of a
-- schedule is a function of (anchor_date, cycle, n); next_n is the next delivery to make and
-- next_delivery_date its date (or next_override_date when the operator moved just that one).

CREATE TABLE subscription_counters (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  last_number bigint NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);

CREATE TABLE subscriptions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  number bigint NOT NULL CHECK (number > 0),
  customer_id uuid NOT NULL,
  -- active; paused (paused_until NULL: until resumed; else generation resumes by itself with the
  -- first delivery on or after that day); cancelled.
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'cancelled')),
  cycle_every smallint NOT NULL CHECK (cycle_every BETWEEN 1 AND 365),
  cycle_unit text NOT NULL CHECK (cycle_unit IN ('day', 'week', 'month')),
  cycle_day_of_month smallint CHECK (cycle_day_of_month BETWEEN 1 AND 31),
  -- "every N months on the 2nd Tuesday": nth 1–4 or -1 (last), weekday 0 (Sun) – 6 (Sat).
  cycle_nth smallint CHECK (cycle_nth IN (1, 2, 3, 4, -1)),
  cycle_weekday smallint CHECK (cycle_weekday BETWEEN 0 AND 6),
  first_delivery_date date NOT NULL,
  -- The schedule: delivery n is deliveryDate(anchor_date, cycle, n). A change of cycle or of the
  -- regular date re-bases it (anchor_date = the next delivery, next_n = 0).
  anchor_date date NOT NULL,
  next_n integer NOT NULL DEFAULT 0 CHECK (next_n >= 0),
  next_delivery_date date,
  -- The next delivery moved by the operator to this day (that delivery only).
  next_override_date date,
  -- Deliveries made (orders generated), and skipped.
  deliveries_made integer NOT NULL DEFAULT 0 CHECK (deliveries_made >= 0),
  deliveries_skipped integer NOT NULL DEFAULT 0 CHECK (deliveries_skipped >= 0),
  -- 回数縛り: the fewest deliveries the customer agreed to (0: none).
  min_deliveries smallint NOT NULL DEFAULT 0 CHECK (min_deliveries BETWEEN 0 AND 99),
  paused_until date,
  carrier text NOT NULL CHECK (carrier IN ('yamato', 'sagawa', 'japanpost')),
  time_slot text CHECK (length(time_slot) <= 10),
  origin_id uuid,
  address_id uuid,
  payment_method_id uuid,
  ad_medium_id uuid,
  staff_id uuid,
  -- The order it started from (伝票区分 定期 on the order form).
  source_order_id uuid,
  note text CHECK (length(note) <= 1000),
  cancel_reason_id uuid,
  cancelled_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  CHECK ((cycle_nth IS NULL) = (cycle_weekday IS NULL)),
  CHECK (cycle_unit = 'month' OR (cycle_day_of_month IS NULL AND cycle_nth IS NULL)),
  CHECK (status = 'cancelled' OR next_delivery_date IS NOT NULL),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, origin_id) REFERENCES shipping_origins (tenant_id, id),
  FOREIGN KEY (tenant_id, address_id) REFERENCES customer_addresses (tenant_id, id) ON DELETE SET NULL (address_id),
  FOREIGN KEY (tenant_id, payment_method_id) REFERENCES payment_methods (tenant_id, id),
  FOREIGN KEY (tenant_id, ad_medium_id) REFERENCES ad_media (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, source_order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, cancel_reason_id) REFERENCES reasons (tenant_id, id)
);
CREATE UNIQUE INDEX subscriptions_number_key ON subscriptions (tenant_id, number);
CREATE INDEX subscriptions_customer_idx ON subscriptions (tenant_id, customer_id, created_at DESC);
-- Generation: the subscriptions whose next delivery is due, oldest first.
CREATE INDEX subscriptions_due_idx ON subscriptions (tenant_id, next_delivery_date, id) WHERE status <> 'cancelled';

ALTER TABLE orders ADD FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id);

CREATE TABLE subscription_lines (
  tenant_id uuid NOT NULL,
  subscription_id uuid NOT NULL,
  line_no smallint NOT NULL CHECK (line_no > 0),
  product_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  PRIMARY KEY (tenant_id, subscription_id, line_no),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

-- nth-delivery presents of a 定期 product (a gift on the 3rd delivery).
CREATE TABLE product_delivery_presents (
  tenant_id uuid NOT NULL,
  product_id uuid NOT NULL,
  delivery_seq smallint NOT NULL CHECK (delivery_seq BETWEEN 1 AND 99),
  present_product_id uuid NOT NULL,
  quantity integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 99),
  PRIMARY KEY (tenant_id, product_id, delivery_seq, present_product_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, present_product_id) REFERENCES products (tenant_id, id)
);

-- Every change (定期変更): before/after, who, when; also written as an interaction (対応履歴).
CREATE TABLE subscription_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Insertion order: changes made at the same instant still read in the order they were made.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  subscription_id uuid NOT NULL,
  at timestamptz NOT NULL,
  user_id uuid,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z_]*$' AND length(kind) <= 40),
  before jsonb,
  after jsonb,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX subscription_events_sub_idx ON subscription_events (tenant_id, subscription_id, seq);

-- Deliveries generation could not make (product discontinued, no stock, card refused …): one
-- open exception per delivery, retried by every run until it succeeds or is resolved.
CREATE TABLE subscription_exceptions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  subscription_id uuid NOT NULL,
  delivery_date date NOT NULL,
  code text NOT NULL CHECK (length(code) <= 60),
  message text NOT NULL CHECK (length(message) <= 1000),
  attempts integer NOT NULL DEFAULT 1,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  resolved_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX subscription_exceptions_open_key ON subscription_exceptions (tenant_id, subscription_id, delivery_date)
  WHERE resolved_at IS NULL;
CREATE INDEX subscription_exceptions_list_idx ON subscription_exceptions (tenant_id, last_at DESC) WHERE resolved_at IS NULL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['subscription_counters', 'subscriptions', 'subscription_lines', 'product_delivery_presents',
    'subscription_events', 'subscription_exceptions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON subscription_counters, subscriptions, subscription_exceptions TO madoguchi_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON subscription_lines, product_delivery_presents TO madoguchi_app;
GRANT SELECT, INSERT ON subscription_events TO madoguchi_app;

-- Generation runs for every tenant with due deliveries (the daily job, the CLI): the owner learns
-- which tenants have work only inside this function (as rank_job_tenants in 0006).
DO $$
BEGIN
  EXECUTE format('CREATE POLICY subscription_jobs ON subscriptions FOR SELECT TO %I '
    'USING (current_setting(''app.subscription_jobs'', true) = ''on'')', current_user);
END $$;

CREATE FUNCTION subscription_job_tenants(p_until date) RETURNS TABLE (tenant_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.subscription_jobs = 'on' AS $$
BEGIN
  RETURN QUERY SELECT DISTINCT s.tenant_id FROM subscriptions s
    WHERE s.status <> 'cancelled' AND s.next_delivery_date <= p_until;
END $$;
REVOKE ALL ON FUNCTION subscription_job_tenants(date) FROM PUBLIC;
