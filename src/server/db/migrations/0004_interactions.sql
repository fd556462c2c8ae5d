-- Interactions (issue 4): 対応履歴 with its kinds master and change history, AC履歴 (actions),
-- reply/talk templates, and each customer's last contact for the 長期未対応顧客 list.
-- Sized for one tenant with 1,000,000 customers (DESIGN.md §7): tenant_id leads every key.

-- Per-tenant settings of the module. The row is made on the tenant's first use, in the same
-- transaction as the tenant's default interaction kinds (interactions/kinds.service.ts).
CREATE TABLE interaction_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  -- 長期未対応: a customer with no contact for this many days (the list's default).
  neglect_days integer NOT NULL DEFAULT 30 CHECK (neglect_days BETWEEN 1 AND 3650),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- 区分: 問い合わせ, クレーム, 定期変更, 基本変更, 注文, その他 (code set on the defaults) and the
-- tenant's own (code NULL).
CREATE TABLE interaction_kinds (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text CHECK (code ~ '^[a-z][a-z_]{0,39}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX interaction_kinds_name_key ON interaction_kinds (tenant_id, name);
CREATE UNIQUE INDEX interaction_kinds_code_key ON interaction_kinds (tenant_id, code) WHERE code IS NOT NULL;

CREATE TABLE interactions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  kind_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('inbound_call', 'outbound_call', 'mail', 'web_form', 'letter', 'other')),
  -- The telephony call id (CONTRACTS.md "Telephony"): a PBX's own identifier, not a key of ours.
  call_id text CHECK (length(call_id) BETWEEN 1 AND 200),
  subject text CHECK (length(subject) <= 200),
  body text NOT NULL CHECK (length(body) <= 10000),
  status text NOT NULL CHECK (status IN ('in_progress', 'on_hold', 'escalated', 'done')),
  -- 対応者: who handled the contact; 担当者: who is to follow it up.
  staff_id uuid,
  assignee_id uuid,
  due_at timestamptz,
  -- 対応日時: when the contact happened (now, or earlier for a letter entered later).
  at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  -- No cascade: a customer's history is never deleted with it (a merge moves it first).
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, kind_id) REFERENCES interaction_kinds (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id)
);
-- The monitor's 対応履歴 tab (newest first), the day's list, the day's list by staff.
CREATE INDEX interactions_customer_idx ON interactions (tenant_id, customer_id, at, id);
CREATE INDEX interactions_at_idx ON interactions (tenant_id, at, id);
CREATE INDEX interactions_staff_idx ON interactions (tenant_id, staff_id, at, id);
-- Work queues: a person's follow-ups, the open ones by status; reports by kind; a call's records.
CREATE INDEX interactions_assignee_idx ON interactions (tenant_id, assignee_id, at, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX interactions_open_idx ON interactions (tenant_id, status, at, id) WHERE status <> 'done';
CREATE INDEX interactions_kind_idx ON interactions (tenant_id, kind_id, at);
CREATE INDEX interactions_call_idx ON interactions (tenant_id, call_id) WHERE call_id IS NOT NULL;

-- Every change of status, assignee and due time (and the creation), who and when: append-only.
CREATE TABLE interaction_events (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  interaction_id uuid NOT NULL,
  at timestamptz NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system')),
  actor_id uuid,
  actor_label text,
  field text NOT NULL CHECK (field IN ('created', 'status', 'assignee', 'due')),
  old_value text,
  new_value text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, interaction_id) REFERENCES interactions (tenant_id, id)
);
CREATE INDEX interaction_events_interaction_idx ON interaction_events (tenant_id, interaction_id, id);

-- AC履歴: what was done towards a customer (calls, DM, catalogues, mail magazines, samples).
-- Other modules add rows through recordActions(); an action carrying a reference is recorded
-- once per customer, kind and reference, so a retried job does not count twice.
CREATE TABLE customer_actions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('call', 'dm', 'catalogue', 'mail_magazine', 'sample', 'other')),
  at timestamptz NOT NULL,
  note text CHECK (length(note) <= 1000),
  ref_type text CHECK (ref_type ~ '^[a-z][a-z0-9_]{0,49}$'),
  ref_id text CHECK (length(ref_id) BETWEEN 1 AND 100),
  staff_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK ((ref_type IS NULL) = (ref_id IS NULL)),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX customer_actions_customer_idx ON customer_actions (tenant_id, customer_id, at, id);
CREATE UNIQUE INDEX customer_actions_ref_key ON customer_actions (tenant_id, ref_type, ref_id, customer_id, kind)
  WHERE ref_type IS NOT NULL;

-- トーク/返信テンプレート with {{placeholders}} (interactions/templates.render.ts).
CREATE TABLE reply_templates (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('talk', 'reply')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  subject text CHECK (length(subject) <= 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  interaction_kind_id uuid,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, interaction_kind_id) REFERENCES interaction_kinds (tenant_id, id)
);
CREATE UNIQUE INDEX reply_templates_name_key ON reply_templates (tenant_id, name);
CREATE INDEX reply_templates_kind_idx ON reply_templates (tenant_id, interaction_kind_id) WHERE interaction_kind_id IS NOT NULL;

-- Each customer's last contact (interaction, action, and — fed by the orders module through
-- notePurchase() — purchase), kept in the transaction of each contact. last_touch_at is the last
-- contact or, before any, the registration: the 長期未対応 list is one range scan of its index.
-- Contacts only: purchase statistics for ranks live with the orders/rank modules.
CREATE TABLE customer_contact_stats (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  registered_at timestamptz NOT NULL,
  last_interaction_at timestamptz,
  last_action_at timestamptz,
  last_purchase_at timestamptz,
  last_contact_at timestamptz,
  last_contact_type text CHECK (last_contact_type IN ('interaction', 'action', 'purchase')),
  -- The interaction kind's name, the action's kind, or the purchase's label, at that time.
  last_contact_kind text CHECK (length(last_contact_kind) <= 100),
  last_touch_at timestamptz NOT NULL,
  interaction_count integer NOT NULL DEFAULT 0 CHECK (interaction_count >= 0),
  action_count integer NOT NULL DEFAULT 0 CHECK (action_count >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_contact_stats_touch_idx ON customer_contact_stats (tenant_id, last_touch_at, customer_id);

-- Every new customer gets its row at once, whoever inserts it (API, CSV import, bulk load): one
-- statement per insert statement, however many rows it carries. Runs with the inserter's rights
-- (the application role may insert rows of its own tenant).
CREATE FUNCTION customer_contact_stats_register() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_contact_stats (tenant_id, customer_id, registered_at, last_touch_at)
  SELECT n.tenant_id, n.id, n.created_at, n.created_at FROM new_customers n
  ON CONFLICT (tenant_id, customer_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER customers_contact_stats AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_customers
  FOR EACH STATEMENT EXECUTE FUNCTION customer_contact_stats_register();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['interaction_settings', 'interaction_kinds', 'interactions', 'interaction_events',
      'customer_actions', 'reply_templates', 'customer_contact_stats'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON interaction_settings, interactions TO madoguchi_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON interaction_kinds, reply_templates, customer_contact_stats TO madoguchi_app;
-- Actions move only when two customers are merged; nothing deletes one.
GRANT SELECT, INSERT, UPDATE ON customer_actions TO madoguchi_app;
GRANT SELECT, INSERT ON interaction_events TO madoguchi_app;

-- Customers that exist already get their row, tenant by tenant (the owner obeys the FORCEd
-- policies too: it reads the tenants through the auth_lookup policy of 0001 and then sets each
-- tenant in turn).
DO $$
DECLARE t uuid;
BEGIN
  PERFORM set_config('app.auth_lookup', 'on', true);
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    INSERT INTO customer_contact_stats (tenant_id, customer_id, registered_at, last_touch_at)
    SELECT c.tenant_id, c.id, c.created_at, c.created_at FROM customers c WHERE c.tenant_id = t
    ON CONFLICT (tenant_id, customer_id) DO NOTHING;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
  PERFORM set_config('app.auth_lookup', '', true);
END $$;
