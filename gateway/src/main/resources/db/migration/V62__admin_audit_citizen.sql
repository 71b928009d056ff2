-- The citizen a look-up by CPR number was about (a consent list, search or export), in the audit
-- log: "who looked at this citizen, when" must be answerable also when the look-up found nothing.
-- Kept here, in the database, never in the log; lists show it masked.
ALTER TABLE admin_audit ADD COLUMN citizen_cpr VARCHAR(10);

CREATE INDEX ix_admin_audit_citizen ON admin_audit (citizen_cpr, id) WHERE citizen_cpr IS NOT NULL;
