package filestore

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
)

// Local keeps files in a directory that only Haven's user can read, outside
// anything served over the web. Each file sits at KEY[:2]/KEY, written to a
// temporary file and renamed into place, so a reader never sees half a file.
// All access goes through an os.Root, which refuses any path that leaves
// the directory, symbolic links included.
type Local struct {
	dir  string
	mu   sync.Mutex
	root *os.Root // nil until the directory exists
}

// header starts every stored file and carries its content type, so the
// file and what is known about it are written in one rename.
const header = "haven-file 1 "

// NewLocal uses dir, which is created (0700) when the first file is
// stored, so a Haven that never receives an upload leaves no trace. A
// directory that other users can read or enter is refused.
func NewLocal(dir string) (*Local, error) {
	l := &Local{dir: dir}
	if _, err := l.open(false); err != nil {
		return nil, err
	}
	return l, nil
}

// open returns the directory's root, creating the directory if create.
func (l *Local) open(create bool) (*os.Root, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.root != nil {
		return l.root, nil
	}
	if create {
		if err := os.MkdirAll(l.dir, 0o700); err != nil {
			return nil, fmt.Errorf("files directory: %w", err)
		}
	}
	st, err := os.Stat(l.dir)
	if errors.Is(err, fs.ErrNotExist) && !create {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("files directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("files directory %s is not a directory", l.dir)
	}
	if st.Mode().Perm()&0o007 != 0 {
		return nil, fmt.Errorf("files directory %s: other users can reach it (mode %o): run chmod 700 on it", l.dir, st.Mode().Perm())
	}
	if l.root, err = os.OpenRoot(l.dir); err != nil {
		return nil, fmt.Errorf("files directory: %w", err)
	}
	return l.root, nil
}

// Close releases the directory.
func (l *Local) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.root == nil {
		return nil
	}
	return l.root.Close()
}

func name(key string) string { return key[:2] + "/" + key }

// Put implements Store.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (err error) {
	if err := checkPut(key, size, contentType); err != nil {
		return err
	}
	root, err := l.open(true)
	if err != nil {
		return err
	}
	if err := root.Mkdir(key[:2], 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("filestore: %w", err)
	}
	tmp := key[:2] + "/.tmp-" + strings.ToLower(rand.Text())
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			root.Remove(tmp)
		}
	}()
	w := bufio.NewWriterSize(f, 64<<10)
	if _, err := w.WriteString(header + contentType + "\n"); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	n, err := io.Copy(w, io.LimitReader(ctxReader{ctx, r}, size))
	if err != nil {
		return fmt.Errorf("filestore: put: %w", err)
	}
	if n != size {
		return errShort
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := root.Rename(tmp, name(key)); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	return nil
}

// Open implements Store.
func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if !ValidKey(key) {
		return nil, Info{}, errNotFound
	}
	root, err := l.open(false)
	if err != nil {
		return nil, Info{}, err
	}
	if root == nil {
		return nil, Info{}, errNotFound
	}
	f, err := root.Open(name(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Info{}, errNotFound
	}
	if err != nil {
		return nil, Info{}, fmt.Errorf("filestore: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Info{}, fmt.Errorf("filestore: %w", err)
	}
	br := bufio.NewReader(f)
	line, err := br.ReadString('\n')
	ct, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), header)
	if err != nil || !ok {
		f.Close()
		return nil, Info{}, fmt.Errorf("filestore: %s is not a stored file", name(key))
	}
	info := Info{Size: st.Size() - int64(len(line)), ContentType: ct, Modified: st.ModTime().UTC()}
	return &localFile{Reader: br, f: f}, info, nil
}

type localFile struct {
	*bufio.Reader
	f *os.File
}

func (l *localFile) Close() error { return l.f.Close() }

// Delete implements Store.
func (l *Local) Delete(ctx context.Context, key string) error {
	root, err := l.open(false)
	if !ValidKey(key) || root == nil || err != nil {
		return err
	}
	if err := root.Remove(name(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("filestore: %w", err)
	}
	return nil
}
