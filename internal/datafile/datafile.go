// Package datafile reads the operator's data files (policies, the intent
// catalogue, guides, the menu) with bounds: only regular files, and at
// most a size no real data file comes near. A FIFO named like a policy
// file blocked a reload forever (and start-up: serve never listened), and
// a 200 MB file was accepted with a 1.3 GB peak.
package datafile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// MaxSize bounds one data file: the largest real one (a year's policy, the
// guides) is under 100 KB.
const MaxSize = 1 << 20

var (
	// ErrNotRegular: a FIFO, device, socket or directory, not a file.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: over MaxSize.
	ErrTooLarge = fmt.Errorf("larger than %d bytes: not a data file", MaxSize)
)

// Read returns the contents of the regular file at path (a symbolic link
// to one, as Kubernetes ConfigMaps are, counts), at most MaxSize bytes.
// It opens without blocking, so a FIFO is refused instead of waited on,
// and checks the opened file, not the name, so nothing can be swapped in
// between.
func Read(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%v)", path, ErrNotRegular, fi.Mode().Type())
	}
	if fi.Size() > MaxSize {
		return nil, fmt.Errorf("%s: %w", path, ErrTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxSize { // grew since the Stat
		return nil, fmt.Errorf("%s: %w", path, ErrTooLarge)
	}
	return data, nil
}
