-- Articles a person's merge joined (cluster merge): the clusters of a and
-- b were merged, and an import that places their clusters again keeps
-- them together, though no verified pair links them. A later split of
-- either article from the other (separations) overrides it. Merges taken
-- before this table are read back from the decisions (a merge's
-- cluster_id and other_id are the smallest member ids of the two
-- clusters it merged).
CREATE TABLE joins (
	a           INTEGER NOT NULL REFERENCES articles(id),
	b           INTEGER NOT NULL REFERENCES articles(id),
	decision_id INTEGER NOT NULL REFERENCES decisions(id),
	PRIMARY KEY (a, b)
) STRICT, WITHOUT ROWID;

CREATE INDEX joins_b ON joins(b);

INSERT OR IGNORE INTO joins (a, b, decision_id)
	SELECT MIN(cluster_id, other_id), MAX(cluster_id, other_id), id FROM decisions
	WHERE kind = 'merge' AND other_id IS NOT NULL
	AND cluster_id IN (SELECT id FROM articles) AND other_id IN (SELECT id FROM articles);
