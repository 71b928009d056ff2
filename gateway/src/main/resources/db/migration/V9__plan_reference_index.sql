-- Issue 12: a record that discloses under the Psychiatry Act §13c names the §13a/§13b plan it
-- belongs to by plan number; the consent check looks the plan up across sources.
CREATE INDEX ix_plan_document_number ON plan_document (plan_number);
