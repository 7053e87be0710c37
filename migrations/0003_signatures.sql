-- Signatures move to a table of their own: loading the LSH index reads
-- every signature, and beside the article texts that means reading the
-- whole database (6.5 GB for a million articles) instead of 300 MB.
CREATE TABLE signatures (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id),
	signature  BLOB NOT NULL -- little-endian uint32 values
) STRICT;

INSERT INTO signatures (article_id, signature)
	SELECT id, signature FROM articles WHERE signature IS NOT NULL;

ALTER TABLE articles DROP COLUMN signature;
