package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// A SQLite database has a lock file beside it, PATH.lock. Every process
// that opens the database holds a shared lock on it for as long as the
// database is open, and a restore holds it exclusively from its check that
// nobody has the database open until the restored file is in place. Without
// it, a server started between that check and the rename went on writing to
// the file the restore then replaced, and its writes were lost.
func lockDatabase(path string, exclusive bool) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600) // #nosec G304 -- beside the database the operator configured (--db), never a path from a request
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errDatabaseLocked
		}
		return nil, fmt.Errorf("lock %s.lock: %w", path, err)
	}
	return f, nil
}

var errDatabaseLocked = errors.New("the database is locked by another process")
