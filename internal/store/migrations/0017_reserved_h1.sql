-- Placeholder on branch h4 for the slot of h1's migration 0017 (held for
-- it): changes nothing. Dropped at the merge, where h1's file takes it.

SELECT 1;
