-- orders_subscription_idx (0008) had exactly the columns and predicate of the unique
-- orders_subscription_delivery_key beside it: every subscription order paid for two identical
-- index entries. The unique index serves every look-up the other one did.
DROP INDEX IF EXISTS orders_subscription_idx;
