package pipeline

import (
	"context"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// Store is what an import needs of the database: *store.DB (SQLite) is
// one. Another store plugs in by implementing these methods with the same
// meaning (see their documentation in package store); the types they take
// and return are store's.
type Store interface {
	// The import's record.
	MarkInterrupted(ctx context.Context, alive func(pid int) bool) (int, error)
	BeginImport(ctx context.Context, inputs []string, s store.Settings) (int64, error)
	FinishImport(ctx context.Context, id int64, status string, counts store.Counts) error
	AddRejections(ctx context.Context, id int64, rs []store.Rejection) error
	Meta(ctx context.Context, key string) (string, bool, error)
	SetMeta(ctx context.Context, key, value string) error

	// What is stored already.
	NextID(ctx context.Context) (int64, error)
	Known(ctx context.Context, keys []store.Key) (map[store.Key]bool, error)
	FirstByContentHash(ctx context.Context, hashes []string) (map[string]int64, error)
	SignaturesAtMost(ctx context.Context) (int, error)
	EachSignature(ctx context.Context, fn func(id int64, sig, passages []uint64) error) error
	Texts(ctx context.Context, ids []int64) (map[int64]string, error)
	SiteText(ctx context.Context) (dedupe.SiteText, error)
	Holdings(ctx context.Context, ids []int64) (map[int64]store.Holding, error)
	EarliestCopies(ctx context.Context, ids []int64) (map[int64]string, error)
	CandidatesTouching(ctx context.Context, ids []int64) ([]store.Candidate, error)

	// Clusters, and a person's decisions about them.
	Members(ctx context.Context, ids []int64) (map[int64]store.Member, error)
	ClusterHeads(ctx context.Context, ids []int64) (map[int64]store.ClusterHead, error)
	ClusterMemberIDs(ctx context.Context, clusterIDs []int64) (map[int64][]int64, error)
	VariantsOf(ctx context.Context, ids []int64) (map[int64]store.Variant, error)
	NoSeparations(ctx context.Context) (bool, error)
	Joins(ctx context.Context, ids []int64) ([][2]int64, error)
	PinsOf(ctx context.Context, ids []int64) ([]dedupe.Pin, error)
	LinksAmong(ctx context.Context, ids []int64) ([]dedupe.Pair, error)
	Separated(ctx context.Context, ids []int64) (map[[2]int64]bool, error)

	// ClusterGeneration counts changes to clusters: a batch placed from
	// clusters read after it is written only if it is unchanged.
	ClusterGeneration(ctx context.Context) (int64, error)

	// NewWriter returns the writer of the import's batches.
	NewWriter(ctx context.Context) (store.Writer, error)
}

var _ Store = (*store.DB)(nil)
