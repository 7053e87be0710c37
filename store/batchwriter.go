package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync/atomic"
)

// BatchWriter writes the batches of one import on a connection of its own
// whose commits never checkpoint the write-ahead log: a goroutine does,
// after each commit, while the import goes on. SQLite checkpoints in the
// committing connection by default, so every large batch waited for its
// pages to be copied into the database and for two fsyncs. The log is as
// durable either way, and a checkpoint can stop at any point without harm.
//
// Its connection checks no foreign keys either. With them on, SQLite
// may abort an article's INSERT halfway on a missing parent, so every
// statement keeps a journal of the pages it changes (60 MB of writes for
// 20,000 articles), besides looking each parent up: 5% of an import's
// CPU. The importer writes only ids it has just stored or read; the
// tests check the keys after every import (PRAGMA foreign_key_check).
// The connection is closed with the writer, never given back to the
// pool with its settings.
type BatchWriter struct {
	db   *DB
	conn *sql.Conn
	// ckpt is closed when the checkpoint in flight ends; nil before the
	// first.
	ckpt chan struct{}
	// frames is the length of the log the last checkpoint saw.
	frames atomic.Int64
	// maxFrames is walLimit in pages of this database.
	maxFrames int64
	// held is the transaction Hold began, for the next Write.
	held *sql.Tx
}

// walLimit bounds the log. SQLite starts the log over only when a write
// begins after a checkpoint copied all of it; a write that finds a
// checkpoint still running lets the log grow. Past this many bytes (a few
// batches) a write waits for the checkpoint, so the log cannot grow past
// the database it logs.
const walLimit = 128 << 20

// NewBatchWriter returns a writer for the batches of an import. Close it
// when the import ends.
func (db *DB) NewBatchWriter(ctx context.Context) (*BatchWriter, error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("batch writer: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0; PRAGMA foreign_keys = OFF`); err != nil {
		discard(conn)
		return nil, fmt.Errorf("batch writer: %w", err)
	}
	var page int64
	if err := conn.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&page); err != nil {
		discard(conn)
		return nil, fmt.Errorf("batch writer: %w", err)
	}
	return &BatchWriter{db: db, conn: conn, maxFrames: walLimit / page}, nil
}

// Write writes b in one transaction: all of it or none; the transaction
// Hold began, if any.
func (w *BatchWriter) Write(ctx context.Context, b *Batch) error {
	tx, err := w.held, error(nil)
	w.held = nil
	if tx == nil {
		if w.ckpt != nil && w.frames.Load() >= w.maxFrames {
			<-w.ckpt
		}
		tx, err = w.conn.BeginTx(ctx, nil)
	}
	if err := commitBatch(ctx, b, tx, err); err != nil {
		return err
	}
	w.checkpoint()
	return nil
}

// Hold takes the write lock now, for the next Write: no other writer
// (a person's decision) can commit until that Write ends, so what is read
// meanwhile stays what the batch is written over. An import holds when
// decisions keep changing the clusters it places.
func (w *BatchWriter) Hold(ctx context.Context) error {
	if w.held != nil {
		return nil
	}
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("batch writer: hold: %w", err)
	}
	w.held = tx
	return nil
}

// checkpoint starts copying committed pages into the database unless a
// checkpoint runs already (the next commit starts another). PASSIVE never
// waits for the writer or for readers.
func (w *BatchWriter) checkpoint() {
	if w.ckpt != nil {
		select {
		case <-w.ckpt:
		default:
			return
		}
	}
	done := make(chan struct{})
	w.ckpt = done
	go func() {
		defer close(done)
		// An error is not the import's: the log stays longer, and SQLite
		// checkpoints it later in any case.
		var busy, frames, copied int64
		if err := w.db.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err == nil {
			w.frames.Store(frames)
		}
	}()
}

// Close waits for the checkpoint in flight and closes the connection.
func (w *BatchWriter) Close() error {
	if w.held != nil {
		w.held.Rollback()
		w.held = nil
	}
	if w.ckpt != nil {
		<-w.ckpt
	}
	return discard(w.conn)
}

// discard closes conn's connection to the database rather than giving it
// back to the pool.
func discard(conn *sql.Conn) error {
	// database/sql closes a connection, and the Conn, when it reports
	// itself bad.
	err := conn.Raw(func(any) error { return driver.ErrBadConn })
	if errors.Is(err, driver.ErrBadConn) {
		return nil
	}
	return err
}

// Writer writes an import's batches, each in one transaction, in order.
// Hold takes the write lock for the next Write, before the batch is
// placed from what the store holds.
type Writer interface {
	Write(ctx context.Context, b *Batch) error
	Hold(ctx context.Context) error
	Close() error
}

// NewWriter returns the import's Writer: a BatchWriter.
func (db *DB) NewWriter(ctx context.Context) (Writer, error) {
	w, err := db.NewBatchWriter(ctx)
	if err != nil {
		return nil, err
	}
	return w, nil
}
