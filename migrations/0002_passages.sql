-- Hashes of the long paragraphs of each indexed article: a teaser or a
-- syndicated copy repeats whole paragraphs of its source, so a shared
-- passage makes a candidate pair even when Jaccard is low. Databases made
-- before this migration have no passages for their articles; LSH still
-- finds those.
CREATE TABLE passages (
	hash       INTEGER NOT NULL,
	article_id INTEGER NOT NULL REFERENCES articles(id),
	PRIMARY KEY (hash, article_id)
) STRICT, WITHOUT ROWID;
