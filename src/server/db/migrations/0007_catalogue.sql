-- The order desk's masters (issue 5, seed 004): ad media, product categories, products and sets,
-- shipping origins, carriers' accounts, shipping fees, lead days and time slots, payment methods
-- with their fee tables, campaigns, and cancel/return reasons. Conventions as 0001: tenant_id
-- leads every key and index; RLS ENABLEd and FORCEd on every tenant table. Money is integer yen.
-- Tax settings (price mode, rounding), preparation days and the invoice registration number live
-- in tenants.settings (jsonb), like the closing days.
-- Carriers are a fixed list, the ones whose file layouts Madoguchi speaks:
--   'yamato' (B2 Cloud), 'sagawa' (e飛伝), 'japanpost' (ゆうプリR).

-- ---------------------------------------------------------------------------------------------
-- 広告 (ad media): where a customer or an order came from; its cost gives CPO and ROAS.
CREATE TABLE ad_media (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- 媒体: 新聞, テレビ, ラジオ, チラシ, Web … (free text, listed by the screens as they are used).
  medium text NOT NULL DEFAULT '' CHECK (length(medium) <= 50),
  -- The cost of a month when no row of ad_media_costs names that month.
  monthly_cost integer NOT NULL DEFAULT 0 CHECK (monthly_cost >= 0),
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ad_media_code_key ON ad_media (tenant_id, code);

-- The cost actually spent in a month (month = its first day).
CREATE TABLE ad_media_costs (
  tenant_id uuid NOT NULL,
  ad_medium_id uuid NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  cost integer NOT NULL CHECK (cost >= 0),
  PRIMARY KEY (tenant_id, ad_medium_id, month),
  FOREIGN KEY (tenant_id, ad_medium_id) REFERENCES ad_media (tenant_id, id) ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------
CREATE TABLE product_categories (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX product_categories_code_key ON product_categories (tenant_id, code);

-- Products. unit_price is in the tenant's price mode (tax included or not, settings.tax.priceMode).
-- kind: normal 通常, subscription 定期 (first_price: the first delivery's price, issue 6),
-- present プレゼント (ships free with a campaign), set セット (its components in product_components).
CREATE TABLE products (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z_.-]{1,30}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  name_kana text CHECK (length(name_kana) <= 100),
  -- normalizeName(code) || ' ' || normalizeName(name) || ' ' || normalizeName(kana): what the
  -- order form's product search compares (src/shared/japanese). A catalogue is thousands of rows.
  name_search text NOT NULL,
  category_id uuid,
  kind text NOT NULL DEFAULT 'normal' CHECK (kind IN ('normal', 'subscription', 'present', 'set')),
  tax_rate smallint NOT NULL CHECK (tax_rate IN (8, 10)),
  unit_price integer NOT NULL CHECK (unit_price >= 0),
  first_price integer CHECK (first_price >= 0),
  -- 原価 per unit, tax excluded: gross profit in the reports.
  unit_cost integer NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),
  -- 販売期間 (both days included; NULL: open).
  sales_from date,
  sales_until date,
  -- 在庫: NULL = not tracked. Orders take it down, cancellations and restocking returns put it back.
  stock integer,
  active boolean NOT NULL DEFAULT true,
  note text CHECK (length(note) <= 1000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (sales_until IS NULL OR sales_from IS NULL OR sales_until >= sales_from),
  FOREIGN KEY (tenant_id, category_id) REFERENCES product_categories (tenant_id, id)
);
CREATE UNIQUE INDEX products_code_key ON products (tenant_id, upper(code));
CREATE INDEX products_category_idx ON products (tenant_id, category_id, code) WHERE category_id IS NOT NULL;

-- component: a set product's contents (kind = 'set'); companion: a product that always ships with
-- this one (a leaflet, a measuring spoon), added to the order by the order form at price 0.
CREATE TABLE product_components (
  tenant_id uuid NOT NULL,
  product_id uuid NOT NULL,
  component_id uuid NOT NULL,
  relation text NOT NULL CHECK (relation IN ('component', 'companion')),
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  PRIMARY KEY (tenant_id, product_id, relation, component_id),
  CHECK (product_id <> component_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, component_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX product_components_component_idx ON product_components (tenant_id, component_id);

-- ---------------------------------------------------------------------------------------------
-- 発送元地区 (shipping origins: a warehouse or a fulfilment partner), with the shipper printed on
-- the label. One origin is the default.
CREATE TABLE shipping_origins (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  shipper_name text NOT NULL CHECK (length(shipper_name) BETWEEN 1 AND 100),
  shipper_kana text CHECK (length(shipper_kana) <= 100),
  postal_code text NOT NULL CHECK (postal_code ~ '^\d{3}-\d{4}$'),
  prefecture text NOT NULL CHECK (length(prefecture) BETWEEN 1 AND 10),
  city text NOT NULL CHECK (length(city) <= 100),
  address1 text NOT NULL DEFAULT '' CHECK (length(address1) <= 200),
  address2 text CHECK (length(address2) <= 200),
  phone text NOT NULL CHECK (length(phone) BETWEEN 1 AND 40),
  default_carrier text NOT NULL DEFAULT 'yamato' CHECK (default_carrier IN ('yamato', 'sagawa', 'japanpost')),
  is_default boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX shipping_origins_code_key ON shipping_origins (tenant_id, code);
CREATE UNIQUE INDEX shipping_origins_default_key ON shipping_origins (tenant_id) WHERE is_default;

-- The tenant's contract with a carrier: the codes its file layouts ask for
-- (B2: ご請求先顧客コード, ご請求先分類コード, 運賃管理番号; e飛伝: お客様コード; ゆうプリR: お客様番号 …).
CREATE TABLE carrier_accounts (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  carrier text NOT NULL CHECK (carrier IN ('yamato', 'sagawa', 'japanpost')),
  account jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(account) = 'object'),
  -- Tracking page with {number} where the tracking number goes.
  tracking_url text CHECK (length(tracking_url) <= 300),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, carrier)
);

-- 送料: the fee to a destination prefecture by a carrier. The most specific rule wins: carrier +
-- prefecture, then carrier (prefecture NULL), then prefecture (carrier NULL), then neither. An
-- order whose goods reach free_threshold (tax included) ships free. No rule at all → fee 0.
CREATE TABLE shipping_fees (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  carrier text CHECK (carrier IN ('yamato', 'sagawa', 'japanpost')),
  prefecture text CHECK (length(prefecture) BETWEEN 1 AND 10),
  fee integer NOT NULL CHECK (fee >= 0),
  free_threshold integer CHECK (free_threshold >= 0),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX shipping_fees_rule_key ON shipping_fees (tenant_id, coalesce(carrier, ''), coalesce(prefecture, ''));

-- リードタイム: days from shipping at an origin to delivery in a prefecture by a carrier
-- (origin NULL: any origin). With no row the delivery date is the ship date + 1.
CREATE TABLE delivery_lead_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  carrier text NOT NULL CHECK (carrier IN ('yamato', 'sagawa', 'japanpost')),
  origin_id uuid,
  prefecture text NOT NULL CHECK (length(prefecture) BETWEEN 1 AND 10),
  days smallint NOT NULL CHECK (days BETWEEN 0 AND 14),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, origin_id) REFERENCES shipping_origins (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX delivery_lead_days_key ON delivery_lead_days (tenant_id, carrier, coalesce(origin_id, '00000000-0000-0000-0000-000000000000'::uuid), prefecture);

-- 配達時間帯: the carrier's own codes (B2: 0812, 1416, 1618, 1820, 1921; e飛伝: 01, 12, 14, 16, 18,
-- 04; ゆうプリR: 51, 52 …), as its file layout wants them.
CREATE TABLE delivery_time_slots (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  carrier text NOT NULL CHECK (carrier IN ('yamato', 'sagawa', 'japanpost')),
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z]{1,10}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 50),
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, carrier, code)
);

-- ---------------------------------------------------------------------------------------------
-- 支払方法. kind: cod 代引き (fee from payment_fee_brackets by the amount collected), bank_transfer
-- 銀行振込, card クレジットカード, deferred 後払い, convenience コンビニ払い, other. A fee is taxed at 10 %.
CREATE TABLE payment_methods (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  kind text NOT NULL CHECK (kind IN ('cod', 'bank_transfer', 'card', 'deferred', 'convenience', 'other')),
  -- The fee when no bracket applies (NULL brackets or none matching).
  fee integer NOT NULL DEFAULT 0 CHECK (fee >= 0),
  -- Days the customer has to pay before the order shows as overdue (bank transfer, convenience).
  due_days smallint CHECK (due_days BETWEEN 0 AND 365),
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX payment_methods_code_key ON payment_methods (tenant_id, code);

-- The fee table (代引手数料): the first bracket, by up_to, that the amount does not pass;
-- up_to NULL is the last bracket (any amount).
CREATE TABLE payment_fee_brackets (
  tenant_id uuid NOT NULL,
  payment_method_id uuid NOT NULL,
  up_to integer CHECK (up_to > 0),
  fee integer NOT NULL CHECK (fee >= 0),
  FOREIGN KEY (tenant_id, payment_method_id) REFERENCES payment_methods (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX payment_fee_brackets_key ON payment_fee_brackets (tenant_id, payment_method_id, coalesce(up_to, 2147483647));

-- ---------------------------------------------------------------------------------------------
-- キャンペーン: within [starts_on, ends_on] and when its conditions hold (ad medium, rank, first
-- order, goods amount), an order gets: free shipping, a discount (yen), prices for products
-- (campaign_prices), presents for bought products (campaign_presents). automatic: applied
-- without its code being entered.
CREATE TABLE campaigns (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  automatic boolean NOT NULL DEFAULT false,
  -- Conditions (NULL / false: no condition).
  ad_medium_id uuid,
  rank_id uuid,
  first_order_only boolean NOT NULL DEFAULT false,
  min_amount integer CHECK (min_amount >= 0),
  -- Effects.
  free_shipping boolean NOT NULL DEFAULT false,
  discount_amount integer NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
  active boolean NOT NULL DEFAULT true,
  note text CHECK (length(note) <= 1000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (ends_on >= starts_on),
  FOREIGN KEY (tenant_id, ad_medium_id) REFERENCES ad_media (tenant_id, id),
  FOREIGN KEY (tenant_id, rank_id) REFERENCES ranks (tenant_id, id)
);
CREATE UNIQUE INDEX campaigns_code_key ON campaigns (tenant_id, upper(code));
CREATE INDEX campaigns_period_idx ON campaigns (tenant_id, starts_on, ends_on) WHERE active;

CREATE TABLE campaign_prices (
  tenant_id uuid NOT NULL,
  campaign_id uuid NOT NULL,
  product_id uuid NOT NULL,
  unit_price integer NOT NULL CHECK (unit_price >= 0),
  PRIMARY KEY (tenant_id, campaign_id, product_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

-- Buy trigger_product_id (any quantity; NULL: any order) → present_product_id × quantity at 0 yen.
CREATE TABLE campaign_presents (
  tenant_id uuid NOT NULL,
  campaign_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  trigger_product_id uuid,
  present_product_id uuid NOT NULL,
  quantity integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 99),
  PRIMARY KEY (tenant_id, campaign_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, trigger_product_id) REFERENCES products (tenant_id, id),
  FOREIGN KEY (tenant_id, present_product_id) REFERENCES products (tenant_id, id)
);

-- ---------------------------------------------------------------------------------------------
-- キャンセル・返品・定期解約理由.
CREATE TABLE reasons (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('cancel', 'return', 'subscription_cancel')),
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX reasons_code_key ON reasons (tenant_id, kind, code);

-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ad_media', 'ad_media_costs', 'product_categories', 'products', 'product_components',
    'shipping_origins', 'carrier_accounts', 'shipping_fees', 'delivery_lead_days', 'delivery_time_slots',
    'payment_methods', 'payment_fee_brackets', 'campaigns', 'campaign_prices', 'campaign_presents', 'reasons'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO madoguchi_app', t);
  END LOOP;
END $$;
