-- 17: the sensitive customer fields of ARCHITECTURE.md, Fields.
--
-- tax_id and internal_notes are text ('' when empty, as part one's fields);
-- credit_limit_cents is the credit limit in cents, NULL when none is set
-- (a limit of 0.00 is a limit, not its absence).
ALTER TABLE customers ADD COLUMN tax_id TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN credit_limit_cents INTEGER CHECK (credit_limit_cents IS NULL OR credit_limit_cents >= 0);
ALTER TABLE customers ADD COLUMN internal_notes TEXT NOT NULL DEFAULT '';
