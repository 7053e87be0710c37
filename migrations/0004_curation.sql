-- A person's decisions about clusters (newsdedup cluster split/merge,
-- canonical set), with who took them, when and why, and what they bind
-- later imports to.
CREATE TABLE decisions (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,             -- RFC 3339 UTC
	"by"        TEXT NOT NULL,             -- who decided
	why         TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL CHECK (kind IN ('split', 'merge', 'canonical')),
	cluster_id  INTEGER NOT NULL,          -- the cluster acted on, as it was then (merge: the first)
	other_id    INTEGER,                   -- merge: the second cluster
	article_ids TEXT NOT NULL DEFAULT '[]', -- JSON: split: the articles moved out; canonical: the article
	result      TEXT NOT NULL DEFAULT '[]'  -- JSON: the clusters the decision left, [{"id","canonical_id","size"}]
) STRICT;

-- Article pairs a split separated (a < b): no import may put them in one
-- cluster again. A later merge of their clusters by a person removes them.
CREATE TABLE separations (
	a           INTEGER NOT NULL REFERENCES articles(id),
	b           INTEGER NOT NULL REFERENCES articles(id),
	decision_id INTEGER NOT NULL REFERENCES decisions(id),
	PRIMARY KEY (a, b)
) STRICT, WITHOUT ROWID;

CREATE INDEX separations_b ON separations(b);

-- Canonicals a person chose: the article stays the canonical of whatever
-- cluster it is in, however complete the other members are.
CREATE TABLE pinned (
	article_id  INTEGER PRIMARY KEY REFERENCES articles(id),
	decision_id INTEGER NOT NULL REFERENCES decisions(id)
) STRICT;
