-- The summaries' deltas (0010), found by an index: report_compact() (every minute) and
-- report_job_tenants() looked for them with `NOT compacted`, which no index served, so each
-- compaction read every summary row of the tenant — at the benchmark's scale some 9 million rows
-- of report_customer_days alone, about a second of CPU a minute, however few the deltas. Each
-- index holds only the deltas waiting (a few thousand rows between two compactions).
CREATE INDEX report_order_days_deltas ON report_order_days (tenant_id) WHERE NOT compacted;
CREATE INDEX report_region_days_deltas ON report_region_days (tenant_id) WHERE NOT compacted;
CREATE INDEX report_product_days_deltas ON report_product_days (tenant_id) WHERE NOT compacted;
CREATE INDEX report_customer_days_deltas ON report_customer_days (tenant_id) WHERE NOT compacted;
