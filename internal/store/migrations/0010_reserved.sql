-- Reserved (CSRF bound to the session, rate limits): the slot was held for
-- them, and they needed no schema change. Changes nothing.

SELECT 1;
