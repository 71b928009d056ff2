-- Which node holds an unfinished entry's next stage in its in-memory queue (issue 18, docs/cluster.md,
-- "Stage hand-offs"). Written by intake and by every state move, so it names the node that queued the
-- next stage; the recovery sweep re-queues the unfinished entries of a node that is no longer alive,
-- and never those of a live node. NULL: journaled before this column (or by an older version).
ALTER TABLE journal_entry ADD COLUMN owner_node VARCHAR(250);

-- A plain index, not a partial one: the migrations also run on H2, which has no partial indexes.
CREATE INDEX journal_entry_owner_state ON journal_entry (owner_node, state);
