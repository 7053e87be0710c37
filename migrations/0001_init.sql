-- The first schema of newsdedup. Every article belongs to exactly one
-- cluster (a singleton at first); a cluster's id is the smallest id of its
-- members, so it stays the same while the cluster persists.

-- Settings that every later import must share, such as the signature
-- scheme: signatures made differently cannot be compared.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
	id          INTEGER PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT,                      -- NULL while running or when interrupted
	status      TEXT NOT NULL DEFAULT 'running', -- running | done | failed | interrupted
	inputs      TEXT NOT NULL,             -- JSON array of the paths given
	params      TEXT NOT NULL,             -- JSON of the dedupe parameters used
	counts      TEXT NOT NULL DEFAULT '{}' -- JSON of the summary counts
) STRICT;

CREATE TABLE articles (
	id           INTEGER PRIMARY KEY,
	import_id    INTEGER NOT NULL REFERENCES imports(id),
	ref          TEXT NOT NULL,   -- where it came from: path, FILE:LINE, record id or url
	source       TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL DEFAULT '',
	url          TEXT NOT NULL DEFAULT '',
	published    TEXT NOT NULL DEFAULT '', -- RFC 3339 when it parsed, else as given
	raw          TEXT NOT NULL,   -- the verbatim original
	text         TEXT NOT NULL,   -- the cleaned text
	raw_hash     TEXT NOT NULL,   -- of raw: with ref, says an input was imported already
	content_hash TEXT NOT NULL,   -- of text: exact duplicates
	length       INTEGER NOT NULL, -- runes of text: the most complete version wins
	signature    BLOB,            -- little-endian uint32 values; NULL for exact copies
	cluster_id   INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX articles_ref_raw ON articles(ref, raw_hash);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_cluster ON articles(cluster_id);

CREATE TABLE clusters (
	id           INTEGER PRIMARY KEY,  -- the smallest member id
	canonical_id INTEGER NOT NULL REFERENCES articles(id),
	size         INTEGER NOT NULL,
	updated_import INTEGER NOT NULL REFERENCES imports(id)
) STRICT;

CREATE INDEX clusters_size ON clusters(size DESC, id);

-- How each non-canonical member relates to its cluster's canonical. via is
-- the member it was matched with when that is not the canonical itself.
CREATE TABLE variants (
	article_id   INTEGER PRIMARY KEY REFERENCES articles(id),
	cluster_id   INTEGER NOT NULL REFERENCES clusters(id),
	canonical_id INTEGER NOT NULL REFERENCES articles(id),
	relation     TEXT NOT NULL CHECK (relation IN ('exact', 'near', 'excerpt')),
	jaccard      REAL NOT NULL,
	containment  REAL NOT NULL,
	via_id       INTEGER REFERENCES articles(id)
) STRICT;

CREATE INDEX variants_cluster ON variants(cluster_id);

-- Every verified pair, the evidence for a cluster.
CREATE TABLE links (
	a           INTEGER NOT NULL REFERENCES articles(id),
	b           INTEGER NOT NULL REFERENCES articles(id),
	relation    TEXT NOT NULL,
	jaccard     REAL NOT NULL,
	containment REAL NOT NULL,
	import_id   INTEGER NOT NULL REFERENCES imports(id),
	PRIMARY KEY (a, b)
) STRICT, WITHOUT ROWID;

CREATE INDEX links_b ON links(b);

-- Inputs an import could not take, with the reason.
CREATE TABLE rejections (
	import_id INTEGER NOT NULL REFERENCES imports(id),
	ref       TEXT NOT NULL,
	reason    TEXT NOT NULL
) STRICT;

CREATE INDEX rejections_import ON rejections(import_id);
