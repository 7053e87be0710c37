package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
)

// Settings are what an import matched and cleaned with. Each import
// records its own; every later command that cleans or matches text takes
// the database's, so that it sees articles as the imports did.
type Settings struct {
	Scheme             string  `json:"scheme"`
	ShingleSize        int     `json:"shingle_size"`
	NumHash            int     `json:"num_hash"`
	Seed               uint64  `json:"seed"`
	LSHThreshold       float64 `json:"lsh_threshold"`
	NearJaccard        float64 `json:"near"`
	ExcerptContainment float64 `json:"excerpt"`
	MinExcerptShingles int     `json:"min_excerpt_shingles"`
	ExcerptMaxRatio    float64 `json:"excerpt_max_ratio"`
	// DateWindowHours is dedupe.Params.DateWindow; 0 (and settings
	// recorded before it) turns the date rules off.
	DateWindowHours float64 `json:"date_window_hours"`
	// RulesDigest names the rule set in rule_sets; RuleCount is its size.
	RulesDigest string `json:"rules_digest"`
	RuleCount   int    `json:"rule_count"`
	// Rules is the rule set's text (ingest.Rules.Text); it is stored once
	// by digest, not with every import.
	Rules string `json:"-"`
}

// NewSettings returns the settings of an import that matches with p and
// cleans with rules.
func NewSettings(p dedupe.Params, rules *ingest.Rules) Settings {
	text := rules.Text()
	sum := sha256.Sum256([]byte(text))
	return Settings{
		Scheme: dedupe.Scheme, ShingleSize: p.ShingleSize, NumHash: p.NumHash, Seed: p.Seed,
		LSHThreshold: p.LSHThreshold, NearJaccard: p.NearJaccard, ExcerptContainment: p.ExcerptContainment,
		MinExcerptShingles: p.MinExcerptShingles, ExcerptMaxRatio: p.ExcerptMaxRatio,
		DateWindowHours: p.DateWindow.Hours(),
		RulesDigest:     hex.EncodeToString(sum[:]), RuleCount: rules.Len(), Rules: text,
	}
}

// Params returns the matching parameters.
func (s Settings) Params() dedupe.Params {
	return dedupe.Params{
		ShingleSize: s.ShingleSize, NumHash: s.NumHash, Seed: s.Seed, LSHThreshold: s.LSHThreshold,
		NearJaccard: s.NearJaccard, ExcerptContainment: s.ExcerptContainment, MinExcerptShingles: s.MinExcerptShingles,
		ExcerptMaxRatio: s.ExcerptMaxRatio,
		DateWindow:      time.Duration(s.DateWindowHours * float64(time.Hour)),
	}
}

// CleanRules parses the recorded rules. Settings that record none (an
// import made before rules were recorded) clean with the built-in rules,
// as those imports did unless told otherwise.
func (s Settings) CleanRules() (*ingest.Rules, error) {
	if s.RulesDigest == "" {
		return ingest.DefaultRules(), nil
	}
	r, err := ingest.ParseRules("recorded rules "+s.RulesDigest[:12], strings.NewReader(s.Rules))
	if err != nil {
		return nil, fmt.Errorf("the database's rules: %w", err)
	}
	return r, nil
}

// legacySettings is how imports recorded their parameters before
// Settings: dedupe.Params' Go field names, the scheme and a rule count.
type legacySettings struct {
	ShingleSize, NumHash, MinExcerptShingles      int
	Seed                                          uint64
	LSHThreshold, NearJaccard, ExcerptContainment float64
	Scheme                                        string
	Rules                                         int
}

// decodeSettings reads an import's params column in either form.
func decodeSettings(raw string) (Settings, error) {
	var s Settings
	if strings.Contains(raw, `"shingle_size"`) {
		err := json.Unmarshal([]byte(raw), &s)
		return s, err
	}
	var l legacySettings
	if err := json.Unmarshal([]byte(raw), &l); err != nil {
		return s, err
	}
	return Settings{
		Scheme: l.Scheme, ShingleSize: l.ShingleSize, NumHash: l.NumHash, Seed: l.Seed,
		LSHThreshold: l.LSHThreshold, NearJaccard: l.NearJaccard, ExcerptContainment: l.ExcerptContainment,
		MinExcerptShingles: l.MinExcerptShingles, RuleCount: l.Rules,
		ExcerptMaxRatio: 1, // before the length rule: any length
	}, nil
}

// Settings returns the settings later commands match and clean with: the
// signature settings fixed by the database's first import, and the
// thresholds and rules of its newest import. ok is false for a database
// without imports, where the defaults are returned.
func (db *DB) Settings(ctx context.Context) (s Settings, ok bool, err error) {
	s = NewSettings(dedupe.DefaultParams(), ingest.DefaultRules())
	var raw string
	err = db.db.QueryRowContext(ctx, `SELECT params FROM imports ORDER BY id DESC LIMIT 1`).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return s, false, fmt.Errorf("settings: %w", err)
	default:
		last, err := decodeSettings(raw)
		if err != nil {
			return s, false, fmt.Errorf("settings of the latest import: %w", err)
		}
		ok = true
		if last.NearJaccard > 0 {
			s.NearJaccard = last.NearJaccard
		}
		if last.ExcerptContainment > 0 {
			s.ExcerptContainment = last.ExcerptContainment
		}
		if last.LSHThreshold > 0 {
			s.LSHThreshold = last.LSHThreshold
		}
		if last.MinExcerptShingles > 0 {
			s.MinExcerptShingles = last.MinExcerptShingles
		}
		// Settings recorded before the length rule made excerpts of any
		// length.
		s.ExcerptMaxRatio = cmp.Or(last.ExcerptMaxRatio, 1)
		s.DateWindowHours = last.DateWindowHours
		s.RulesDigest, s.RuleCount, s.Rules = last.RulesDigest, last.RuleCount, ""
		if last.RulesDigest != "" {
			if err := db.db.QueryRowContext(ctx, `SELECT text FROM rule_sets WHERE digest = ?`, last.RulesDigest).Scan(&s.Rules); err != nil {
				return s, false, fmt.Errorf("rules %s of the latest import: %w", last.RulesDigest, err)
			}
		}
	}
	// The signature settings are the database's, whatever an import says.
	for key, dst := range map[string]*int{"shingle_size": &s.ShingleSize, "num_hash": &s.NumHash} {
		v, found, err := db.Meta(ctx, key)
		if err != nil {
			return s, false, err
		}
		if found {
			if *dst, err = strconv.Atoi(v); err != nil {
				return s, false, fmt.Errorf("database setting %s=%q: %w", key, v, err)
			}
		}
	}
	if v, found, err := db.Meta(ctx, "seed"); err != nil {
		return s, false, err
	} else if found {
		if s.Seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			return s, false, fmt.Errorf("database setting seed=%q: %w", v, err)
		}
	}
	if v, found, err := db.Meta(ctx, "signature_scheme"); err != nil {
		return s, false, err
	} else if found && v != dedupe.Scheme {
		return s, false, fmt.Errorf("the database's signatures use scheme %s; this newsdedup makes %s", v, dedupe.Scheme)
	}
	return s, ok, nil
}

// Counts are an import's totals so far, recorded with it after every batch
// and at its end. Rejections are rows of their own (Import.Rejections).
type Counts struct {
	Read          int `json:"read"`
	New           int `json:"new"`
	AlreadyStored int `json:"already_stored"`
	Exact         int `json:"exact_duplicates"`
	Near          int `json:"near_duplicates"`
	Excerpts      int `json:"excerpts"`
	// Versions counts the versions of a page (the same source and URL).
	Versions        int `json:"versions,omitempty"`
	ClustersTouched int `json:"clusters_touched"`
	Rejected        int `json:"rejected"`
	RepairedUTF8    int `json:"repaired_utf8"`
	DuplicateIDs    int `json:"duplicate_ids"`
	// UnparsedDates counts the articles read whose date was not
	// understood: stored with an empty published and the date as written.
	UnparsedDates int `json:"unparsed_dates"`
	// SkippedRecords counts the input records read that hold nothing to
	// import (WARC requests, metadata, non-HTML responses...), by kind.
	SkippedRecords SkippedRecords `json:"skipped_records,omitzero"`
	// Candidates counts every verified candidate pair by score, in
	// ScoreBuckets buckets over [0, 1].
	Candidates  *ScoreCounts `json:"candidates,omitempty"`
	Interrupted bool         `json:"interrupted,omitempty"`
}

// Clone copies c deeply enough that later counting leaves the copy alone.
func (c Counts) Clone() Counts {
	if c.Candidates != nil {
		sc := *c.Candidates
		sc.Jaccard, sc.Containment = slices.Clone(sc.Jaccard), slices.Clone(sc.Containment)
		c.Candidates = &sc
	}
	return c
}

// SkippedRecords counts WARC records that hold no page to import, by the
// kinds ingest.Options.Skipped names. A struct, not a map, so that Counts
// stay comparable and a file cannot add keys without bound.
type SkippedRecords struct {
	Warcinfo        int `json:"warcinfo,omitempty"`
	Request         int `json:"request,omitempty"`
	Metadata        int `json:"metadata,omitempty"`
	Revisit         int `json:"revisit,omitempty"`
	Conversion      int `json:"conversion,omitempty"`
	Continuation    int `json:"continuation,omitempty"`
	OtherType       int `json:"other_type,omitempty"`
	NotHTTP         int `json:"response_not_http,omitempty"`
	Not200          int `json:"response_not_200,omitempty"`
	NotHTML         int `json:"response_not_html,omitempty"`
	ResourceNotHTML int `json:"resource_not_html,omitempty"`
}

// kinds pairs each kind ingest names with its count, in the
// order Each gives them.
func (s *SkippedRecords) kinds() []struct {
	kind string
	n    *int
} {
	return []struct {
		kind string
		n    *int
	}{
		{"warcinfo", &s.Warcinfo}, {"request", &s.Request}, {"metadata", &s.Metadata},
		{"revisit", &s.Revisit}, {"conversion", &s.Conversion}, {"continuation", &s.Continuation},
		{ingest.SkipOther, &s.OtherType}, {ingest.SkipNotHTTP, &s.NotHTTP}, {ingest.SkipNot200, &s.Not200},
		{ingest.SkipNotHTML, &s.NotHTML}, {ingest.SkipResourceNotHTML, &s.ResourceNotHTML},
	}
}

// Add counts one record of a kind ingest.Options.Skipped names; a kind
// it does not know counts as OtherType.
func (s *SkippedRecords) Add(kind string) {
	for _, k := range s.kinds() {
		if k.kind == kind {
			*k.n++
			return
		}
	}
	s.OtherType++
}

// Each calls fn for every kind counted, in a fixed order.
func (s SkippedRecords) Each(fn func(kind string, n int)) {
	for _, k := range s.kinds() {
		if *k.n > 0 {
			fn(k.kind, *k.n)
		}
	}
}
