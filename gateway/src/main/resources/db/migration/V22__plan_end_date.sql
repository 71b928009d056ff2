-- Issue 12: a §13c disclosure must belong to a current §13a/§13b plan. A plan version may say
-- when the plan ended (or ends); the consent check refuses a plan whose newest version has ended.
ALTER TABLE plan_document ADD COLUMN end_date DATE;
