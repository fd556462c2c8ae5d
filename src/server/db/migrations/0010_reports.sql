-- Sales reports (集計, issue 5): daily summaries of orders kept in step by triggers, so that a
-- report over a year of a 10,000,000-order tenant reads a few hundred thousand summary rows
-- instead of millions of orders and lines. See src/server/modules/reports/ and
-- docs/performance.md ("bench:orders").
--
-- What counts (both in the summaries and in the reports):
--   * an order counts unless its status is 'cancelled' or 'returned' (a wholly returned order);
--   * a line's returned_quantity is taken off its units, its amount (sales) and its cost;
--   * 'component' lines (a set's contents, companions; 0 yen) are not counted as units: the set
--     line is. Presents are counted (they ship).
-- Measures per order:
--   sales        = subtotal − discount − Σ returned_quantity × unit_price  (goods, in the order's
--                  price mode: tax included when the tenant's prices include tax)
--   sales_ex_tax = total − tax_total − the fees (shipping + payment) without their tax
--                  − the returned goods without their tax (goods after discount, tax excluded;
--                  fees' tax is taken at 10 % and rounded, so a 1-yen difference is possible)
--   cost         = cost_total − Σ returned_quantity × unit_cost (tax excluded)
--   units        = Σ (quantity − returned_quantity) over item and present lines
-- basis: 'o' = the order's order_date (受付日, sales reports), 's' = its ship_date (出荷予定日,
-- shipment reports).
--
-- Rows come in two kinds: deltas (compacted = false), written by the triggers with every change
-- of an order or its lines (grouped per statement; never updated, so concurrent orders do not
-- wait on each other), and compacted rows (one per key), into which report_compact() folds the
-- deltas (the reports.compact job, every minute). A report sums both kinds: it is exact whether
-- or not the job has run.

CREATE TABLE report_order_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  basis "char" NOT NULL CHECK (basis IN ('o', 's')),
  day date NOT NULL,
  ad_medium_id uuid,
  staff_id uuid,
  carrier text NOT NULL,
  orders integer NOT NULL DEFAULT 0,
  units bigint NOT NULL DEFAULT 0,
  sales bigint NOT NULL DEFAULT 0,
  sales_ex_tax bigint NOT NULL DEFAULT 0,
  shipping_fee bigint NOT NULL DEFAULT 0,
  payment_fee bigint NOT NULL DEFAULT 0,
  cost bigint NOT NULL DEFAULT 0,
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_order_days_day_idx ON report_order_days (tenant_id, basis, day);
CREATE UNIQUE INDEX report_order_days_key ON report_order_days (tenant_id, basis, day, ad_medium_id, staff_id, carrier)
  NULLS NOT DISTINCT WHERE compacted;

CREATE TABLE report_region_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  basis "char" NOT NULL CHECK (basis IN ('o', 's')),
  day date NOT NULL,
  prefecture text,
  carrier text NOT NULL,
  orders integer NOT NULL DEFAULT 0,
  units bigint NOT NULL DEFAULT 0,
  sales bigint NOT NULL DEFAULT 0,
  shipping_fee bigint NOT NULL DEFAULT 0,
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_region_days_day_idx ON report_region_days (tenant_id, basis, day);
CREATE UNIQUE INDEX report_region_days_key ON report_region_days (tenant_id, basis, day, prefecture, carrier)
  NULLS NOT DISTINCT WHERE compacted;

CREATE TABLE report_product_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  basis "char" NOT NULL CHECK (basis IN ('o', 's')),
  day date NOT NULL,
  product_id uuid NOT NULL,
  carrier text NOT NULL,
  units bigint NOT NULL DEFAULT 0,
  amount bigint NOT NULL DEFAULT 0,
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_product_days_day_idx ON report_product_days (tenant_id, basis, day);
CREATE UNIQUE INDEX report_product_days_key ON report_product_days (tenant_id, basis, day, product_id, carrier)
  WHERE compacted;

-- By order date only (顧客別売上一覧).
CREATE TABLE report_customer_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  day date NOT NULL,
  customer_id uuid NOT NULL,
  orders integer NOT NULL DEFAULT 0,
  sales bigint NOT NULL DEFAULT 0,
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_customer_days_day_idx ON report_customer_days (tenant_id, day) INCLUDE (customer_id, orders, sales);
CREATE UNIQUE INDEX report_customer_days_key ON report_customer_days (tenant_id, day, customer_id) WHERE compacted;

-- ---------------------------------------------------------------------------------------------
-- Deltas of orders: sgn × (the order's own measures + its current lines' when p_lines).
CREATE FUNCTION report_apply_orders(p_orders orders[], p_sgn integer, p_lines boolean) RETURNS void
  LANGUAGE sql SET search_path = public, pg_temp AS $$
  WITH o AS (
    SELECT * FROM unnest(p_orders) WHERE status NOT IN ('cancelled', 'returned')),
  c AS (
    SELECT o.tenant_id, o.order_date, o.ship_date, o.ad_medium_id, o.staff_id, o.carrier, o.ship_prefecture,
           o.customer_id,
           p_sgn * coalesce(l.units, 0) AS units,
           p_sgn * (o.subtotal - o.discount - coalesce(l.r_amount, 0)) AS sales,
           p_sgn * (o.total - o.tax_total
                    - CASE WHEN o.price_mode = 'included'
                           THEN round((o.shipping_fee + o.payment_fee) * 100 / 110.0)::bigint
                           ELSE o.shipping_fee + o.payment_fee END
                    - coalesce(l.r_ex, 0)) AS sales_ex_tax,
           p_sgn * o.shipping_fee AS shipping_fee, p_sgn * o.payment_fee AS payment_fee,
           p_sgn * (o.cost_total - coalesce(l.r_cost, 0)) AS cost
      FROM o
      LEFT JOIN LATERAL (
        SELECT sum(x.quantity - x.returned_quantity) FILTER (WHERE x.kind <> 'component') AS units,
               sum(x.returned_quantity * x.unit_price) AS r_amount,
               sum(CASE WHEN o.price_mode = 'included'
                        THEN round(x.returned_quantity * x.unit_price * 100.0 / (100 + x.tax_rate))::bigint
                        ELSE x.returned_quantity * x.unit_price END) AS r_ex,
               sum(x.returned_quantity * x.unit_cost) AS r_cost
          FROM order_lines x
         WHERE p_lines AND x.tenant_id = o.tenant_id AND x.order_id = o.id) l ON true),
  b AS (
    SELECT c.*, v.basis, v.day FROM c
      CROSS JOIN LATERAL (VALUES ('o'::"char", c.order_date), ('s'::"char", c.ship_date)) v(basis, day)),
  i1 AS (
    INSERT INTO report_order_days (tenant_id, basis, day, ad_medium_id, staff_id, carrier, orders, units, sales,
                                   sales_ex_tax, shipping_fee, payment_fee, cost)
    SELECT tenant_id, basis, day, ad_medium_id, staff_id, carrier, p_sgn * count(*), sum(units), sum(sales),
           sum(sales_ex_tax), sum(shipping_fee), sum(payment_fee), sum(cost)
      FROM b GROUP BY tenant_id, basis, day, ad_medium_id, staff_id, carrier
    RETURNING 1),
  i2 AS (
    INSERT INTO report_region_days (tenant_id, basis, day, prefecture, carrier, orders, units, sales, shipping_fee)
    SELECT tenant_id, basis, day, ship_prefecture, carrier, p_sgn * count(*), sum(units), sum(sales), sum(shipping_fee)
      FROM b GROUP BY tenant_id, basis, day, ship_prefecture, carrier
    RETURNING 1),
  i3 AS (
    INSERT INTO report_customer_days (tenant_id, day, customer_id, orders, sales)
    SELECT tenant_id, order_date, customer_id, p_sgn * count(*), sum(sales)
      FROM c GROUP BY tenant_id, order_date, customer_id
    RETURNING 1),
  i4 AS (
    INSERT INTO report_product_days (tenant_id, basis, day, product_id, carrier, units, amount)
    SELECT o.tenant_id, v.basis, v.day, x.product_id, o.carrier,
           p_sgn * sum(x.quantity - x.returned_quantity), p_sgn * sum((x.quantity - x.returned_quantity) * x.unit_price)
      FROM o
      JOIN order_lines x ON p_lines AND x.tenant_id = o.tenant_id AND x.order_id = o.id AND x.kind <> 'component'
      CROSS JOIN LATERAL (VALUES ('o'::"char", o.order_date), ('s'::"char", o.ship_date)) v(basis, day)
     GROUP BY o.tenant_id, v.basis, v.day, x.product_id, o.carrier
    RETURNING 1)
  SELECT FROM (SELECT count(*) FROM i1) a, (SELECT count(*) FROM i2) b2, (SELECT count(*) FROM i3) c3,
              (SELECT count(*) FROM i4) d4;
$$;

-- Deltas of lines (sgn × their part) for their orders as they are now.
CREATE FUNCTION report_apply_lines(p_lines order_lines[], p_sgn integer) RETURNS void
  LANGUAGE sql SET search_path = public, pg_temp AS $$
  WITH x AS (
    SELECT l.*, o.order_date, o.ship_date, o.ad_medium_id, o.staff_id, o.carrier, o.ship_prefecture, o.customer_id,
           o.price_mode
      FROM unnest(p_lines) l
      JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
     WHERE o.status NOT IN ('cancelled', 'returned')),
  c AS (
    SELECT x.*, p_sgn * CASE WHEN x.kind <> 'component' THEN x.quantity - x.returned_quantity ELSE 0 END AS d_units,
           -p_sgn * x.returned_quantity * x.unit_price AS d_sales,
           -p_sgn * CASE WHEN x.price_mode = 'included'
                         THEN round(x.returned_quantity * x.unit_price * 100.0 / (100 + x.tax_rate))::bigint
                         ELSE x.returned_quantity * x.unit_price END AS d_ex,
           -p_sgn * x.returned_quantity * x.unit_cost AS d_cost
      FROM x),
  b AS (
    SELECT c.*, v.basis, v.day FROM c
      CROSS JOIN LATERAL (VALUES ('o'::"char", c.order_date), ('s'::"char", c.ship_date)) v(basis, day)),
  i1 AS (
    INSERT INTO report_order_days (tenant_id, basis, day, ad_medium_id, staff_id, carrier, units, sales, sales_ex_tax, cost)
    SELECT tenant_id, basis, day, ad_medium_id, staff_id, carrier, sum(d_units), sum(d_sales), sum(d_ex), sum(d_cost)
      FROM b GROUP BY tenant_id, basis, day, ad_medium_id, staff_id, carrier
    RETURNING 1),
  i2 AS (
    INSERT INTO report_region_days (tenant_id, basis, day, prefecture, carrier, units, sales)
    SELECT tenant_id, basis, day, ship_prefecture, carrier, sum(d_units), sum(d_sales)
      FROM b GROUP BY tenant_id, basis, day, ship_prefecture, carrier
    RETURNING 1),
  i3 AS (
    INSERT INTO report_customer_days (tenant_id, day, customer_id, sales)
    SELECT tenant_id, order_date, customer_id, sum(d_sales)
      FROM c WHERE d_sales <> 0 GROUP BY tenant_id, order_date, customer_id
    RETURNING 1),
  i4 AS (
    INSERT INTO report_product_days (tenant_id, basis, day, product_id, carrier, units, amount)
    SELECT tenant_id, basis, day, product_id, carrier,
           p_sgn * sum(quantity - returned_quantity), p_sgn * sum((quantity - returned_quantity) * unit_price)
      FROM b WHERE kind <> 'component' GROUP BY tenant_id, basis, day, product_id, carrier
    RETURNING 1)
  SELECT FROM (SELECT count(*) FROM i1) a, (SELECT count(*) FROM i2) b2, (SELECT count(*) FROM i3) c3,
              (SELECT count(*) FROM i4) d4;
$$;

-- The columns whose change moves an order's figures (a status change only when it enters or
-- leaves cancelled/returned; tracking numbers, payments, versions … move nothing).
CREATE FUNCTION report_order_key(o orders) RETURNS text
  LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT concat_ws('|', o.status NOT IN ('cancelled', 'returned'), o.order_date, o.ship_date, o.ad_medium_id,
                   o.staff_id, o.carrier, o.ship_prefecture, o.customer_id, o.subtotal, o.discount, o.shipping_fee,
                   o.payment_fee, o.total, o.tax_total, o.cost_total, o.price_mode)
$$;

CREATE FUNCTION report_orders_inserted() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  -- A new order has no lines yet (they reference it): its own measures only.
  PERFORM report_apply_orders(ARRAY(SELECT ROW(n.*)::orders FROM new_rows n), 1, false);
  RETURN NULL;
END $$;

-- Pairs the old and new rows of an UPDATE by key and keeps the pairs whose figures change. A
-- hash join: transition tables carry no statistics, and a nested loop over a bulk update (a
-- tracking-number import of thousands of orders) would be quadratic.
CREATE FUNCTION report_changed_orders(p_old orders[], p_new orders[], OUT olds orders[], OUT news orders[])
  LANGUAGE sql STABLE SET search_path = public, pg_temp SET enable_nestloop = off AS $$
  SELECT array_agg(o), array_agg(n)
    FROM unnest(p_old) o JOIN unnest(p_new) n ON n.tenant_id = o.tenant_id AND n.id = o.id
   WHERE report_order_key(o) IS DISTINCT FROM report_order_key(n)
$$;

CREATE FUNCTION report_changed_lines(p_old order_lines[], p_new order_lines[], OUT olds order_lines[],
                                     OUT news order_lines[])
  LANGUAGE sql STABLE SET search_path = public, pg_temp SET enable_nestloop = off AS $$
  SELECT array_agg(o), array_agg(n)
    FROM unnest(p_old) o JOIN unnest(p_new) n ON n.tenant_id = o.tenant_id AND n.order_id = o.order_id AND n.line_no = o.line_no
   WHERE (o.kind, o.product_id, o.quantity, o.returned_quantity, o.unit_price, o.unit_cost, o.tax_rate)
         IS DISTINCT FROM (n.kind, n.product_id, n.quantity, n.returned_quantity, n.unit_price, n.unit_cost, n.tax_rate)
$$;

CREATE FUNCTION report_orders_updated() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  olds orders[];
  news orders[];
BEGIN
  SELECT c.olds, c.news INTO olds, news
    FROM report_changed_orders(ARRAY(SELECT ROW(o.*)::orders FROM old_rows o),
                               ARRAY(SELECT ROW(n.*)::orders FROM new_rows n)) c;
  IF olds IS NOT NULL THEN
    PERFORM report_apply_orders(olds, -1, true);
    PERFORM report_apply_orders(news, 1, true);
  END IF;
  RETURN NULL;
END $$;

-- Row level and BEFORE: its lines still exist (the cascade deletes them after), so the order
-- takes its lines' part away with its own. The lines' delete trigger then finds no order.
CREATE FUNCTION report_order_deleting() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM report_apply_orders(ARRAY[OLD], -1, true);
  RETURN OLD;
END $$;

CREATE FUNCTION report_lines_inserted() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM report_apply_lines(ARRAY(SELECT ROW(n.*)::order_lines FROM new_rows n), 1);
  RETURN NULL;
END $$;

CREATE FUNCTION report_lines_updated() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  olds order_lines[];
  news order_lines[];
BEGIN
  SELECT c.olds, c.news INTO olds, news
    FROM report_changed_lines(ARRAY(SELECT ROW(o.*)::order_lines FROM old_rows o),
                              ARRAY(SELECT ROW(n.*)::order_lines FROM new_rows n)) c;
  IF olds IS NOT NULL THEN
    PERFORM report_apply_lines(olds, -1);
    PERFORM report_apply_lines(news, 1);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION report_lines_deleted() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM report_apply_lines(ARRAY(SELECT ROW(o.*)::order_lines FROM old_rows o), -1);
  RETURN NULL;
END $$;

CREATE TRIGGER report_orders_inserted AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_orders_inserted();
CREATE TRIGGER report_orders_updated AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_orders_updated();
CREATE TRIGGER report_order_deleting BEFORE DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION report_order_deleting();
CREATE TRIGGER report_lines_inserted AFTER INSERT ON order_lines
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_lines_inserted();
CREATE TRIGGER report_lines_updated AFTER UPDATE ON order_lines
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_lines_updated();
CREATE TRIGGER report_lines_deleted AFTER DELETE ON order_lines
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_lines_deleted();

-- ---------------------------------------------------------------------------------------------
-- Folds the current tenant's deltas into one compacted row per key; answers the deltas folded.
-- Runs as the application role inside withTenant (RLS scopes it to the tenant).
CREATE FUNCTION report_compact() RETURNS bigint
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  t uuid := app_tenant_id();
  n bigint := 0;
  k bigint;
BEGIN
  IF t IS NULL THEN RAISE EXCEPTION 'report_compact: no tenant'; END IF;
  WITH moved AS (DELETE FROM report_order_days WHERE tenant_id = t AND NOT compacted RETURNING *),
  ins AS (
    INSERT INTO report_order_days AS r (tenant_id, basis, day, ad_medium_id, staff_id, carrier, orders, units, sales,
                                        sales_ex_tax, shipping_fee, payment_fee, cost, compacted)
    SELECT tenant_id, basis, day, ad_medium_id, staff_id, carrier, sum(orders), sum(units), sum(sales),
           sum(sales_ex_tax), sum(shipping_fee), sum(payment_fee), sum(cost), true
      FROM moved GROUP BY tenant_id, basis, day, ad_medium_id, staff_id, carrier
    ON CONFLICT (tenant_id, basis, day, ad_medium_id, staff_id, carrier) WHERE compacted DO UPDATE
      SET orders = r.orders + EXCLUDED.orders, units = r.units + EXCLUDED.units, sales = r.sales + EXCLUDED.sales,
          sales_ex_tax = r.sales_ex_tax + EXCLUDED.sales_ex_tax, shipping_fee = r.shipping_fee + EXCLUDED.shipping_fee,
          payment_fee = r.payment_fee + EXCLUDED.payment_fee, cost = r.cost + EXCLUDED.cost
    RETURNING 1)
  SELECT (SELECT count(*) FROM moved) INTO k FROM (SELECT count(*) FROM ins) z;
  n := n + k;

  WITH moved AS (DELETE FROM report_region_days WHERE tenant_id = t AND NOT compacted RETURNING *),
  ins AS (
    INSERT INTO report_region_days AS r (tenant_id, basis, day, prefecture, carrier, orders, units, sales, shipping_fee,
                                         compacted)
    SELECT tenant_id, basis, day, prefecture, carrier, sum(orders), sum(units), sum(sales), sum(shipping_fee), true
      FROM moved GROUP BY tenant_id, basis, day, prefecture, carrier
    ON CONFLICT (tenant_id, basis, day, prefecture, carrier) WHERE compacted DO UPDATE
      SET orders = r.orders + EXCLUDED.orders, units = r.units + EXCLUDED.units, sales = r.sales + EXCLUDED.sales,
          shipping_fee = r.shipping_fee + EXCLUDED.shipping_fee
    RETURNING 1)
  SELECT (SELECT count(*) FROM moved) INTO k FROM (SELECT count(*) FROM ins) z;
  n := n + k;

  WITH moved AS (DELETE FROM report_product_days WHERE tenant_id = t AND NOT compacted RETURNING *),
  ins AS (
    INSERT INTO report_product_days AS r (tenant_id, basis, day, product_id, carrier, units, amount, compacted)
    SELECT tenant_id, basis, day, product_id, carrier, sum(units), sum(amount), true
      FROM moved GROUP BY tenant_id, basis, day, product_id, carrier
    ON CONFLICT (tenant_id, basis, day, product_id, carrier) WHERE compacted DO UPDATE
      SET units = r.units + EXCLUDED.units, amount = r.amount + EXCLUDED.amount
    RETURNING 1)
  SELECT (SELECT count(*) FROM moved) INTO k FROM (SELECT count(*) FROM ins) z;
  n := n + k;

  WITH moved AS (DELETE FROM report_customer_days WHERE tenant_id = t AND NOT compacted RETURNING *),
  ins AS (
    INSERT INTO report_customer_days AS r (tenant_id, day, customer_id, orders, sales, compacted)
    SELECT tenant_id, day, customer_id, sum(orders), sum(sales), true
      FROM moved GROUP BY tenant_id, day, customer_id
    ON CONFLICT (tenant_id, day, customer_id) WHERE compacted DO UPDATE
      SET orders = r.orders + EXCLUDED.orders, sales = r.sales + EXCLUDED.sales
    RETURNING 1)
  SELECT (SELECT count(*) FROM moved) INTO k FROM (SELECT count(*) FROM ins) z;
  n := n + k;
  RETURN n;
END $$;

-- The tenants with deltas waiting (the compaction job's list, read across tenants like
-- rank_job_tenants in 0006).
DO $$
BEGIN
  EXECUTE format('CREATE POLICY report_jobs ON report_order_days TO %I USING (current_setting(''app.report_jobs'', true) = ''on'')',
    current_user);
END $$;

CREATE FUNCTION report_job_tenants() RETURNS TABLE (tenant_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.report_jobs = 'on' AS $$
BEGIN
  RETURN QUERY SELECT DISTINCT r.tenant_id FROM report_order_days r WHERE NOT r.compacted;
END $$;
REVOKE ALL ON FUNCTION report_job_tenants() FROM PUBLIC;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['report_order_days', 'report_region_days', 'report_product_days', 'report_customer_days'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO madoguchi_app', t);
  END LOOP;
END $$;
