-- A counter of changes to clusters. Every write that changes clusters
-- (an import's batch, a person's decision) adds one in its transaction.
-- An import places a batch from cluster state it read before its write
-- transaction; the transaction checks that the counter is still the one
-- it read, so a decision taken in between is never overwritten with
-- stale sizes and variants: the batch is placed again instead.
CREATE TABLE cluster_generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL
) STRICT;
INSERT INTO cluster_generation (id, n) VALUES (1, 1);
