-- Cases and escalation, in-app notifications, and the FAQ / knowledge base (issue 4, seed 001).
-- Conventions as 0001: tenant_id leads every key and index; RLS ENABLEd and FORCEd on every
-- tenant table; the application role gets only the rights it uses.
-- Times that the status-watch board and the alarm compare (created_at, due_at, alarmed_due_at)
-- are written from the application's clock, not now(), so that tests and the e2e can move time.

-- ---------------------------------------------------------------------------------------------
-- Escalation groups: the people a case can go to as one (クライアント技術部, 営業担当 …).
CREATE TABLE escalation_groups (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text CHECK (length(description) <= 1000),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX escalation_groups_name_key ON escalation_groups (tenant_id, lower(name));

CREATE TABLE escalation_group_members (
  tenant_id uuid NOT NULL,
  group_id uuid NOT NULL,
  user_id uuid NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, group_id, user_id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES escalation_groups (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX escalation_group_members_user_idx ON escalation_group_members (tenant_id, user_id, group_id);

-- ---------------------------------------------------------------------------------------------
-- Cases (案件): an interaction escalated to a person and/or a group with a due time.
-- The last case number given in each tenant (numbers people read out: 案件番号 1, 2, …).
CREATE TABLE case_counters (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  last_number bigint NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);

CREATE TABLE cases (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  number bigint NOT NULL CHECK (number > 0),
  interaction_id uuid NOT NULL,
  -- The interaction's customer when the case was made (lists per customer without a join).
  customer_id uuid,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'waiting', 'resolved', 'closed')),
  assignee_id uuid,
  group_id uuid,
  -- Who the overdue alarm goes to besides the assignee; NULL: every active supervisor.
  supervisor_id uuid,
  due_at timestamptz NOT NULL,
  -- The due time whose alarm has gone out: a new due time re-arms the alarm.
  alarmed_due_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  CHECK (assignee_id IS NOT NULL OR group_id IS NOT NULL),
  FOREIGN KEY (tenant_id, interaction_id) REFERENCES interactions (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES escalation_groups (tenant_id, id),
  FOREIGN KEY (tenant_id, supervisor_id) REFERENCES users (tenant_id, id)
);
CREATE UNIQUE INDEX cases_number_key ON cases (tenant_id, number);
-- One case in progress per interaction (a second escalation while one is open is a conflict).
CREATE UNIQUE INDEX cases_open_interaction_key ON cases (tenant_id, interaction_id)
  WHERE status IN ('open', 'in_progress', 'waiting');
CREATE INDEX cases_interaction_idx ON cases (tenant_id, interaction_id, created_at);
CREATE INDEX cases_customer_idx ON cases (tenant_id, customer_id, created_at) WHERE customer_id IS NOT NULL;
-- Keyset lists in due order (most urgent first), filtered by status, assignee or group.
CREATE INDEX cases_due_idx ON cases (tenant_id, due_at, id);
CREATE INDEX cases_status_due_idx ON cases (tenant_id, status, due_at, id);
CREATE INDEX cases_assignee_due_idx ON cases (tenant_id, assignee_id, due_at, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX cases_group_due_idx ON cases (tenant_id, group_id, due_at, id) WHERE group_id IS NOT NULL;
-- The alarm's work list: open cases whose current due time has not been alarmed. Alarmed and
-- finished cases leave this index, so the once-a-minute scan reads only the cases still waiting.
CREATE INDEX cases_alarm_idx ON cases (tenant_id, due_at)
  WHERE status IN ('open', 'in_progress', 'waiting') AND alarmed_due_at IS DISTINCT FROM due_at;

-- Every change of a case: who, when, what, from → to. Append-only for the application.
CREATE TABLE case_events (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  case_id uuid NOT NULL,
  at timestamptz NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system')),
  actor_id uuid,
  actor_label text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('created', 'status', 'assignee', 'group', 'supervisor', 'due', 'title', 'note',
    'comment', 'alarm')),
  from_value text,
  to_value text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX case_events_case_idx ON case_events (tenant_id, case_id, id);

-- The tenants that have a case to alarm now. The alarm job runs for every tenant, before any is
-- known: this SECURITY DEFINER look-up is its only cross-tenant read (tenant ids, nothing else),
-- through an owner-only policy opened for the function's duration (as auth_lookup in 0001).
DO $$
BEGIN
  EXECUTE format('CREATE POLICY alarm_scan ON cases FOR SELECT TO %I '
    'USING (current_setting(''app.alarm_scan'', true) = ''on'')', current_user);
END $$;

CREATE FUNCTION case_alarm_tenants(p_now timestamptz)
RETURNS TABLE (tenant_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.alarm_scan = 'on' AS $$
BEGIN
  RETURN QUERY
  SELECT DISTINCT c.tenant_id FROM cases c
   WHERE c.status IN ('open', 'in_progress', 'waiting') AND c.alarmed_due_at IS DISTINCT FROM c.due_at
     AND c.due_at <= p_now;
END $$;
REVOKE ALL ON FUNCTION case_alarm_tenants(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION case_alarm_tenants(timestamptz) TO madoguchi_app;

-- ---------------------------------------------------------------------------------------------
-- In-app notifications (the header's bell). The text is a message key with parameters, rendered
-- in the reader's language when read; `link` is the web path it opens.
CREATE TABLE notifications (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)*$' AND length(kind) <= 60),
  message_key text NOT NULL CHECK (length(message_key) <= 100),
  params jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(params) = 'object'),
  object_type text CHECK (length(object_type) <= 40),
  object_id uuid,
  link text CHECK (length(link) <= 300),
  -- At most one notification per user and key (an alarm per case and due time, for one).
  dedupe_key text CHECK (length(dedupe_key) <= 200),
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX notifications_user_idx ON notifications (tenant_id, user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (tenant_id, user_id, created_at DESC, id DESC)
  WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_dedupe_key ON notifications (tenant_id, user_id, dedupe_key)
  WHERE dedupe_key IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- FAQ / knowledge base. The *_search columns hold normalizeName() of each term (src/shared/
-- japanese): searches compare folded forms. A tenant's FAQ is thousands of articles, not
-- millions: searches read the tenant's articles (a GIN index could not serve them under RLS,
-- see 0002's note on customer_search).
CREATE TABLE faq_categories (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX faq_categories_name_key ON faq_categories (tenant_id, lower(name));
CREATE INDEX faq_categories_position_idx ON faq_categories (tenant_id, position, name, id);

CREATE TABLE faq_articles (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  category_id uuid,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  keywords text[] NOT NULL DEFAULT '{}' CHECK (cardinality(keywords) <= 30),
  published boolean NOT NULL DEFAULT false,
  use_count integer NOT NULL DEFAULT 0 CHECK (use_count >= 0),
  title_search text NOT NULL,
  keywords_search text[] NOT NULL,
  body_search text NOT NULL,
  -- The case it was written from ("make a FAQ from this case").
  source_case_id uuid,
  created_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES faq_categories (tenant_id, id) ON DELETE SET NULL (category_id),
  FOREIGN KEY (tenant_id, source_case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX faq_articles_use_idx ON faq_articles (tenant_id, use_count DESC, id);
CREATE INDEX faq_articles_category_idx ON faq_articles (tenant_id, category_id, use_count DESC, id);
-- One article per case.
CREATE UNIQUE INDEX faq_articles_case_key ON faq_articles (tenant_id, source_case_id) WHERE source_case_id IS NOT NULL;

-- Each use of an article (the report counts them per category and week or month). The category
-- is the article's when it was used; deleting an article or a category keeps its uses counted.
CREATE TABLE faq_uses (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  article_id uuid,
  category_id uuid,
  interaction_id uuid,
  user_id uuid,
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, article_id) REFERENCES faq_articles (tenant_id, id) ON DELETE SET NULL (article_id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES faq_categories (tenant_id, id) ON DELETE SET NULL (category_id),
  FOREIGN KEY (tenant_id, interaction_id) REFERENCES interactions (tenant_id, id)
);
CREATE INDEX faq_uses_at_idx ON faq_uses (tenant_id, at, category_id);
CREATE INDEX faq_uses_article_idx ON faq_uses (tenant_id, article_id, at) WHERE article_id IS NOT NULL;
CREATE INDEX faq_uses_interaction_idx ON faq_uses (tenant_id, interaction_id) WHERE interaction_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['escalation_groups', 'escalation_group_members', 'case_counters', 'cases', 'case_events',
    'notifications', 'faq_categories', 'faq_articles', 'faq_uses'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) '
      'WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON escalation_groups, escalation_group_members, faq_categories, faq_articles
  TO madoguchi_app;
GRANT SELECT, INSERT, UPDATE ON case_counters, cases, notifications TO madoguchi_app;
GRANT SELECT, INSERT ON case_events, faq_uses TO madoguchi_app;
