-- Web orders from an e-commerce site's CSV export (issue 5): saved column mappings (presets) and
-- the site's order numbers already imported, so that the same file imported twice makes nothing
-- twice (src/server/modules/order-import/).

CREATE TABLE order_import_presets (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- { "<target field>": "<CSV header>" }, e.g. { "orderNumber": "注文番号", "productCode": "商品コード" }.
  mapping jsonb NOT NULL CHECK (jsonb_typeof(mapping) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX order_import_presets_name_key ON order_import_presets (tenant_id, name);

-- One row per imported site order: its number on the site and the order it became.
CREATE TABLE order_import_refs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  external_number text NOT NULL CHECK (length(external_number) BETWEEN 1 AND 100),
  order_id uuid NOT NULL,
  order_number bigint NOT NULL,
  imported_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, external_number)
);
CREATE INDEX order_import_refs_order_idx ON order_import_refs (tenant_id, order_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['order_import_presets', 'order_import_refs'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON order_import_presets TO madoguchi_app;
GRANT SELECT, INSERT ON order_import_refs TO madoguchi_app;
