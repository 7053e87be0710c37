-- An article's dates. published holds the article's own date in RFC 3339
-- UTC when it was understood, '' otherwise; published_raw is the date as
-- the input wrote it, understood or not. crawled is when a crawler
-- fetched the page (a WARC record's WARC-Date), in RFC 3339 UTC, '' when
-- the input does not say. Imports made before this migration stored a
-- WARC page's crawl time in published and kept no raw date.
ALTER TABLE articles ADD COLUMN crawled TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN published_raw TEXT NOT NULL DEFAULT '';
