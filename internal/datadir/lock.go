// Package datadir guards a data directory: one process at a time may hold
// it, so two servers (or a seeding beside a server) never write one store
// and one bucket tree at once.
package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockFile is the file, inside the data directory, whose flock marks the
// directory as in use; it holds the holder's pid, for the error message.
const LockFile = "cosell.lock"

// ErrInUse is returned by Lock when another process holds the directory.
var ErrInUse = errors.New("data directory in use")

// Lock is an exclusive hold on a data directory, kept until Close or the
// process ends (the kernel drops a flock with its last file descriptor, so
// a killed process leaves nothing to clean up).
type Lock struct {
	f *os.File
}

// Acquire takes the directory's lock, creating the directory when missing.
// It does not wait: a held lock fails at once with ErrInUse, naming the
// holder's pid.
func Acquire(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readPID(f)
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is held by another cosell process (pid %s); stop it, or give a different --data", ErrInUse, dir, holder)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// Only the holder writes the pid, so a refused process never clobbers it.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Close releases the lock. The file stays: removing it would race with a
// process that has just opened it and is about to lock it.
func (l *Lock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}

func readPID(f *os.File) string {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	if pid := strings.TrimSpace(string(buf[:n])); pid != "" {
		return pid
	}
	return "unknown"
}
