-- Care-plan document deliveries move onto the work engine (issue 18, docs/cluster.md): one
-- 'document-delivery' execution per PENDING document, due when its row said. document_delivery
-- stays as the record of each document's delivery (state, attempts, error, location) for the API.
INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
SELECT 'document-delivery', document_id, NULL, COALESCE(due_at, updated_at), FALSE, 1, 0
FROM document_delivery
WHERE state = 'PENDING';

DROP INDEX ix_document_delivery_due;
