-- Site text learned from the corpus (dedupe.LearnSiteText): the passages
-- (paragraph hashes, as in signatures.passages) that a source prints on
-- the pages of unrelated stories. They are left out of the shingles that
-- verify and relate a pair; the stored texts keep them. Every import
-- learns it again from all stored articles and verifies again the pairs
-- whose articles hold what changed, so a database made before this
-- migration gets it with its next import.
CREATE TABLE site_text (
	source TEXT NOT NULL,
	hash   INTEGER NOT NULL,
	PRIMARY KEY (source, hash)
) STRICT, WITHOUT ROWID;
