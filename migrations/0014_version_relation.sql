-- A variant may be a version of its canonical (dedupe.Version): the same
-- page crawled again, or one source's story filed again within hours,
-- with its text changed. SQLite cannot change a CHECK constraint in
-- place: the table is made again.
CREATE TABLE variants_new (
	article_id   INTEGER PRIMARY KEY REFERENCES articles(id),
	cluster_id   INTEGER NOT NULL REFERENCES clusters(id),
	canonical_id INTEGER NOT NULL REFERENCES articles(id),
	relation     TEXT NOT NULL CHECK (relation IN ('exact', 'near', 'excerpt', 'version')),
	jaccard      REAL NOT NULL,
	containment  REAL NOT NULL,
	via_id       INTEGER REFERENCES articles(id)
) STRICT;

INSERT INTO variants_new SELECT article_id, cluster_id, canonical_id, relation, jaccard, containment, via_id FROM variants;
DROP TABLE variants;
ALTER TABLE variants_new RENAME TO variants;
CREATE INDEX variants_cluster ON variants(cluster_id);
