-- Which process runs an import, so that one killed without a chance to
-- record its end (kill -9, a crash, a power cut) can be told from one
-- still running and shown as interrupted.
ALTER TABLE imports ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
