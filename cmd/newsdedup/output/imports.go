package output

import (
	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/store"
)

// Rejection is an input an import could not take, with the reason.
type Rejection struct {
	Ref    string `json:"ref"`
	Reason string `json:"reason"`
}

// ImportSummary is the object of import --json: the import's id, its
// counts (store.Counts, inline) and its rejections as reported (the first
// of each file, then a line saying how many more).
type ImportSummary struct {
	ImportID int64 `json:"import_id"`
	store.Counts
	Rejections []Rejection `json:"rejections"`
}

// NewImportSummary returns the shape of s.
func NewImportSummary(s pipeline.Summary) ImportSummary {
	out := ImportSummary{ImportID: s.ImportID, Counts: s.Counts, Rejections: []Rejection{}}
	for _, r := range s.Rejections {
		out.Rejections = append(out.Rejections, Rejection{Ref: r.Ref, Reason: r.Reason})
	}
	return out
}

// Import is a line of imports --json. FinishedAt is null while the import
// runs (or after it was killed); Params are the settings it recorded.
type Import struct {
	ID         int64          `json:"id"`
	StartedAt  string         `json:"started_at"`
	FinishedAt *string        `json:"finished_at"`
	Status     string         `json:"status"`
	Inputs     []string       `json:"inputs"`
	Params     store.Settings `json:"params"`
	Counts     store.Counts   `json:"counts"`
	Rejections []Rejection    `json:"rejections"`
}

// NewImport returns the shape of im.
func NewImport(im store.Import) Import {
	j := Import{ID: im.ID, StartedAt: im.StartedAt, Status: im.Status, Inputs: im.Inputs,
		Params: im.Settings, Counts: im.Counts, Rejections: []Rejection{}}
	if im.FinishedAt != "" {
		j.FinishedAt = &im.FinishedAt
	}
	if j.Inputs == nil {
		j.Inputs = []string{}
	}
	for _, r := range im.Rejections {
		j.Rejections = append(j.Rejections, Rejection{Ref: r.Ref, Reason: r.Reason})
	}
	return j
}

// Match is a stored article that a probed text duplicates.
type Match struct {
	ID          int64   `json:"id"`
	Ref         string  `json:"ref"`
	Title       string  `json:"title"`
	ClusterID   int64   `json:"cluster_id"`
	Relation    string  `json:"relation"`
	Jaccard     float64 `json:"jaccard"`
	Containment float64 `json:"containment"`
}

// Similar is a line of similar --json: one input article and what it
// duplicates, the strongest first.
type Similar struct {
	Ref     string  `json:"ref"`
	Matches []Match `json:"matches"`
}

// NewSimilar returns the shape of ref's matches.
func NewSimilar(ref string, ms []pipeline.Match) Similar {
	out := Similar{Ref: ref, Matches: []Match{}}
	for _, m := range ms {
		out.Matches = append(out.Matches, Match{ID: m.ID, Ref: m.Ref, Title: m.Title, ClusterID: m.ClusterID,
			Relation: string(m.Relation), Jaccard: Round3(m.Jaccard), Containment: Round3(m.Containment)})
	}
	return out
}

// Check is the object of check --json.
type Check struct {
	OK        bool            `json:"ok"`
	Integrity string          `json:"integrity"`
	Problems  []store.Problem `json:"problems"`
}
