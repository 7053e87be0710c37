package store

import (
	"errors"
	"os"
	"runtime"
	"syscall"
)

// ProcessAlive reports whether a process with this id runs on this host.
// Signal 0 checks without signalling; where that is not available
// (Windows) every process counts as alive, so no import is wrongly marked
// interrupted.
func ProcessAlive(pid int) bool {
	if runtime.GOOS == "windows" {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
