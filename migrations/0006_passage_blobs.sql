-- Passage hashes move beside the signatures, one blob per article
-- (little-endian 64-bit values; NULL when the article has none). The
-- matcher keeps them in memory, loaded with the signatures: a table
-- keyed by hash takes an insert at a random place for every passage,
-- 40% of an import's writing at 100,000 articles and more as it grows.
ALTER TABLE signatures ADD COLUMN passages BLOB;

UPDATE signatures SET passages = p.hashes
FROM (
	SELECT article_id, unhex(group_concat(printf('%02x%02x%02x%02x%02x%02x%02x%02x',
		hash & 255, (hash >> 8) & 255, (hash >> 16) & 255, (hash >> 24) & 255,
		(hash >> 32) & 255, (hash >> 40) & 255, (hash >> 48) & 255, (hash >> 56) & 255), '')) AS hashes
	FROM passages GROUP BY article_id
) AS p
WHERE p.article_id = signatures.article_id;

DROP TABLE passages;
