-- signing a member out of one organization (managed accounts): each
-- session of theirs that was live at the sign-out is listed with the
-- organization, and the auth query does not accept a listed session
-- there (it still works everywhere else). A session started later is
-- not listed, so a sign-in right after the sign-out, even in the same
-- second, is accepted: no clock is compared.

CREATE TABLE session_signouts (
    session_id TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    PRIMARY KEY (session_id, org_id)
) WITHOUT ROWID;
CREATE INDEX session_signouts_org ON session_signouts(org_id);
