-- Order numbers from one PostgreSQL sequence per tenant (issue 5, bench:orders).
--
-- Until now every order took the tenant's row in order_counters and kept it locked to its
-- commit: all of a tenant's orders in flight waited on each other (50 operators: ~45 orders/s,
-- a p99 of seconds). nextval() never waits and is never rolled back, so a number taken by an
-- order that then fails is not given again: a tenant's numbers rise with time and may have
-- gaps (as in every system whose numbers come from a sequence); they are never reused.
--
-- The application role may not create or name sequences: it calls take_order_numbers(n), which
-- reads the tenant from the transaction (app_tenant_id(), set by withTenant) and creates that
-- tenant's sequence on its first order.

CREATE FUNCTION take_order_numbers(p_count integer) RETURNS bigint[]
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t uuid := app_tenant_id();
  seq text;
  numbers bigint[];
BEGIN
  IF t IS NULL THEN
    RAISE EXCEPTION 'take_order_numbers: no tenant in this transaction';
  END IF;
  IF p_count < 1 OR p_count > 100000 THEN
    RAISE EXCEPTION 'take_order_numbers: count % out of range', p_count;
  END IF;
  seq := 'order_no_' || replace(t::text, '-', '');
  IF to_regclass(seq) IS NULL THEN
    -- The tenant's first order: one creator at a time (the others wait here, then find it).
    PERFORM pg_advisory_xact_lock(hashtext(seq));
    IF to_regclass(seq) IS NULL THEN
      EXECUTE format('CREATE SEQUENCE %I AS bigint MINVALUE 1', seq);
    END IF;
  END IF;
  EXECUTE format('SELECT array_agg(nextval(%L) ORDER BY g) FROM generate_series(1, $1) AS g', seq)
    INTO numbers USING p_count;
  RETURN numbers;
END $$;
REVOKE ALL ON FUNCTION take_order_numbers(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION take_order_numbers(integer) TO madoguchi_app;

-- Tenants with orders already: their sequence goes on after their last number.
-- (FORCE off first: the migrating owner reads every tenant's row; the table goes right after.)
ALTER TABLE order_counters NO FORCE ROW LEVEL SECURITY;
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT tenant_id, last_number FROM order_counters WHERE last_number > 0 LOOP
    EXECUTE format('CREATE SEQUENCE %I AS bigint MINVALUE 1 START WITH %s',
      'order_no_' || replace(c.tenant_id::text, '-', ''), c.last_number + 1);
  END LOOP;
END $$;

DROP TABLE order_counters;
