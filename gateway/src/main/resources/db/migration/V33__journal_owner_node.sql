-- Which node holds an unfinished entry's next stage in its in-memory queue (issue 18, docs/cluster.md,
-- "Stage hand-offs"). Written by intake and by every state move, so it names the node that queued the
-- next stage; the recovery sweep re-queues the unfinished entries of a node that is no longer alive,
-- and never those of a live node. NULL: journaled before this column (or by an older version).
ALTER TABLE journal_entry ADD COLUMN owner_node VARCHAR(250);

CREATE INDEX journal_entry_unfinished_owner ON journal_entry (owner_node)
    WHERE state IN ('RECEIVED', 'TRANSLATED', 'VALIDATED');
