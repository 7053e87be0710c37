-- The boilerplate rules an import cleaned with, each distinct set stored
-- once by the SHA-256 of its text; an import's params name the digest, so
-- that later commands (similar, serve, curation) clean as it did.
CREATE TABLE rule_sets (
	digest TEXT PRIMARY KEY,
	text   TEXT NOT NULL
) STRICT;
