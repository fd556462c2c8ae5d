-- Issue 4 follow-up: the screen pop's replay after a reconnect, and the purges of short-lived rows.

-- ---------------------------------------------------------------------------------------------
-- The telephony events of the last minutes, for `Last-Event-ID` replay on GET /telephony/stream
-- (telephony.bus.ts). A table rather than each process's memory: the identity is one increasing
-- sequence for every server on the database, so an id seen on one server means the same event on
-- another and after a restart; a reconnect gets the rows still here or nothing, never another
-- event. Customers are not stored: a replayed event is looked up again. The rows hold phone
-- numbers, so they are kept only as long as a replay can use them (telephony.jobs.ts purges them).
CREATE TABLE telephony_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  call_id text NOT NULL CHECK (length(call_id) BETWEEN 1 AND 200),
  event text NOT NULL CHECK (event IN ('ringing', 'answered', 'ended')),
  from_number text NOT NULL CHECK (length(from_number) <= 256),
  to_number text NOT NULL CHECK (length(to_number) <= 256),
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  agent_id text CHECK (length(agent_id) <= 200),
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
-- The purge deletes by age across tenants.
CREATE INDEX telephony_events_at_idx ON telephony_events (at);

ALTER TABLE telephony_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE telephony_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON telephony_events
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT ON telephony_events TO madoguchi_app;

-- ---------------------------------------------------------------------------------------------
-- Purges by the owner across tenants (an owner that is not a superuser obeys the FORCEd policies):
-- these policies open the tables to it while app.purge is set, for the purge's transaction only
-- (set_config(…, true)), as app.auth_lookup does for sessions in 0001.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['telephony_events', 'notifications'] LOOP
    EXECUTE format('CREATE POLICY purge ON %I TO %I USING (current_setting(''app.purge'', true) = ''on'')',
      t, current_user);
  END LOOP;
END $$;
-- The notifications purge reads the read ones by age.
CREATE INDEX notifications_read_purge_idx ON notifications (created_at) WHERE read_at IS NOT NULL;
