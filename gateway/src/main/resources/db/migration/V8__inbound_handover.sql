-- Hand-over of messages from hospitals to municipal systems (docs/delivery.md, "Messages coming back").
-- handover_system: the configured system (NULL = default folder); handover_status HANDED_OVER or KEPT;
-- a KEPT message keeps its content and citizen until a consent change releases it.
ALTER TABLE inbound_message ADD COLUMN handover_system VARCHAR(100);
ALTER TABLE inbound_message ADD COLUMN handover_status VARCHAR(20);
ALTER TABLE inbound_message ADD COLUMN citizen_cpr VARCHAR(10);
ALTER TABLE inbound_message ADD COLUMN kept_message TEXT;
CREATE INDEX ix_inbound_message_kept ON inbound_message (handover_status, citizen_cpr);
