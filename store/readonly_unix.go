//go:build unix

package store

import "golang.org/x/sys/unix"

// canWrite reports whether this process may write path, or create files
// in it if it is a folder; a path that does not exist counts as writable,
// for SQLite to report. It asks the kernel (access(2)) instead of opening
// the file: closing any descriptor of a database file drops the POSIX
// locks SQLite holds on it in this process.
func canWrite(path string) bool {
	err := unix.Access(path, unix.W_OK)
	return err != unix.EACCES && err != unix.EROFS && err != unix.EPERM
}
