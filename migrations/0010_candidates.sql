-- Every candidate pair an import verified whose Jaccard or containment
-- reaches a low floor (dedupe.CandidateFloor), duplicate or not, with the
-- shingle counts of its two texts: the evidence that eval --sweep
-- re-clusters at other thresholds without importing again, and that
-- explains why two parts of a true cluster were not joined. Imports made
-- before this table kept only their duplicates (links).
CREATE TABLE candidates (
	a           INTEGER NOT NULL REFERENCES articles(id),
	b           INTEGER NOT NULL REFERENCES articles(id),
	jaccard     REAL NOT NULL,
	containment REAL NOT NULL,
	shorter     INTEGER NOT NULL, -- shingles of the smaller text
	longer      INTEGER NOT NULL, -- and of the larger
	set_aside   TEXT NOT NULL DEFAULT '', -- why it is no duplicate though its scores say so
	import_id   INTEGER NOT NULL REFERENCES imports(id),
	PRIMARY KEY (a, b)
) STRICT, WITHOUT ROWID;
