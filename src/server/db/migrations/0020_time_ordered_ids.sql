-- Time-ordered ids (UUID version 7, RFC 9562) for the rows written with every order: orders,
-- their events and the 対応履歴 entries they add. A random id (version 4) puts each new key on a
-- random leaf of its primary key, and of order_lines' keys that lead with order_id: at 10,000,000
-- orders, some 1 GB of index pages of which every placement touched one at random, most of them
-- no longer in memory. A version 7 id starts with its millisecond, so today's keys all go to the
-- right edge of each index, pages that stay in memory. The application makes them (uuid's v7());
-- uuid_v7() makes them in SQL: for the columns' defaults and for loads that give the time.
-- Existing ids stay as they are: both kinds are uuids and nothing reads meaning into them.
CREATE FUNCTION uuid_v7(at timestamptz DEFAULT clock_timestamp()) RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  -- 48 bits of Unix milliseconds, then a random version 4 uuid's remaining bits with the version
  -- nibble turned from 0100 to 0111 (its variant bits are already RFC 9562's).
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
           PLACING substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
         52, 1), 53, 1), 'hex')::uuid
$$;

ALTER TABLE orders ALTER COLUMN id SET DEFAULT uuid_v7();
ALTER TABLE order_events ALTER COLUMN id SET DEFAULT uuid_v7();
ALTER TABLE interactions ALTER COLUMN id SET DEFAULT uuid_v7();
