package filestore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"haven/internal/haven"
)

// stores returns each implementation, fresh: local disk, and S3 against
// gofakes3 on a loopback listener.
func stores(t *testing.T) map[string]Store {
	t.Helper()
	local, err := NewLocal(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { local.Close() })
	return map[string]Store{"local": local, "s3": newFakeS3(t, "")}
}

func newFakeS3(t *testing.T, prefix string) *S3 {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("haven-files"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	s, err := NewS3(t.Context(), S3Config{Endpoint: strings.TrimPrefix(srv.URL, "http://"), Region: "eu-west-2",
		Bucket: "haven-files", Prefix: prefix, AccessKey: "test-access", SecretKey: "test-secret"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConformance runs one table against every Store.
func TestConformance(t *testing.T) {
	big := bytes.Repeat([]byte("fictional resource "), 100_000) // about 1.9 MB
	tests := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"put then open returns the bytes and content type", func(t *testing.T, s Store) {
			key := NewKey()
			put(t, s, key, []byte("A fictional guide.\n"), "text/plain; charset=utf-8")
			got, info := open(t, s, key)
			if string(got) != "A fictional guide.\n" || info.Size != int64(len(got)) || info.ContentType != "text/plain; charset=utf-8" {
				t.Errorf("got %q %+v", got, info)
			}
			if time.Since(info.Modified) > time.Hour || info.Modified.Location() != time.UTC {
				t.Errorf("modified %v", info.Modified)
			}
		}},
		{"a larger file round-trips", func(t *testing.T, s Store) {
			key := NewKey()
			put(t, s, key, big, "application/pdf")
			if got, info := open(t, s, key); !bytes.Equal(got, big) || info.Size != int64(len(big)) {
				t.Errorf("got %d bytes, info %+v", len(got), info)
			}
		}},
		{"an empty file is refused", func(t *testing.T, s Store) {
			key := NewKey()
			if err := s.Put(t.Context(), key, strings.NewReader(""), 0, "text/plain; charset=utf-8"); err == nil {
				t.Error("stored")
			}
			notFound(t, s, key)
		}},
		{"put replaces", func(t *testing.T, s Store) {
			key := NewKey()
			put(t, s, key, []byte("first"), "text/plain; charset=utf-8")
			put(t, s, key, []byte("second"), "application/pdf")
			if got, info := open(t, s, key); string(got) != "second" || info.ContentType != "application/pdf" {
				t.Errorf("got %q %+v", got, info)
			}
		}},
		{"a reader that ends early stores nothing", func(t *testing.T, s Store) {
			key := NewKey()
			err := s.Put(t.Context(), key, strings.NewReader("short"), 100, "application/pdf")
			if err == nil {
				t.Fatal("want an error")
			}
			notFound(t, s, key)
		}},
		{"a reader that fails stores nothing", func(t *testing.T, s Store) {
			key := NewKey()
			r := io.MultiReader(strings.NewReader("part of it"), failing{})
			if err := s.Put(t.Context(), key, r, 100, "application/pdf"); err == nil {
				t.Fatal("want an error")
			}
			notFound(t, s, key)
		}},
		{"a cancelled put stores nothing", func(t *testing.T, s Store) {
			key := NewKey()
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if err := s.Put(ctx, key, bytes.NewReader(big), int64(len(big)), "application/pdf"); err == nil {
				t.Fatal("want an error")
			}
			notFound(t, s, key)
		}},
		{"delete removes, and deleting again is fine", func(t *testing.T, s Store) {
			key := NewKey()
			put(t, s, key, []byte("x"), "application/pdf")
			for range 2 {
				if err := s.Delete(t.Context(), key); err != nil {
					t.Fatal(err)
				}
			}
			notFound(t, s, key)
		}},
		{"an unknown key is not found", func(t *testing.T, s Store) { notFound(t, s, NewKey()) }},
		{"keys that are not keys reach nothing", func(t *testing.T, s Store) {
			for _, key := range []string{"", "../../etc/passwd", "..", "ab/../../x", "/etc/passwd", "AAAAAAAAAAAAAAAAAAAAAAAAAA",
				"aaaaaaaaaaaaaaaaaaaaaaaaa/", "aaaaaaaaaaaaaaaaaaaaaaaaa\x00", "report.pdf"} {
				if err := s.Put(t.Context(), key, strings.NewReader("x"), 1, "application/pdf"); err == nil {
					t.Errorf("put %q: stored", key)
				}
				notFound(t, s, key)
				if err := s.Delete(t.Context(), key); err != nil {
					t.Errorf("delete %q: %v", key, err)
				}
			}
		}},
		{"a content type that could split a header is refused", func(t *testing.T, s Store) {
			for _, ct := range []string{"", "text/plain\nX-Evil: 1", "text/plain\r"} {
				if err := s.Put(t.Context(), NewKey(), strings.NewReader("x"), 1, ct); err == nil {
					t.Errorf("content type %q accepted", ct)
				}
			}
		}},
	}
	for name, s := range stores(t) {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) { tt.run(t, s) })
		}
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func put(t *testing.T, s Store, key string, b []byte, ct string) {
	t.Helper()
	if err := s.Put(t.Context(), key, bytes.NewReader(b), int64(len(b)), ct); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, s Store, key string) ([]byte, Info) {
	t.Helper()
	rc, info, err := s.Open(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b, info
}

func notFound(t *testing.T, s Store, key string) {
	t.Helper()
	rc, _, err := s.Open(t.Context(), key)
	if err == nil {
		rc.Close()
		t.Errorf("open %q: found", key)
	} else if !errors.Is(err, haven.ErrNotFound) {
		t.Errorf("open %q: %v, want haven.ErrNotFound", key, err)
	}
}

func TestNewKey(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		k := NewKey()
		if !ValidKey(k) || seen[k] {
			t.Fatalf("key %q", k)
		}
		seen[k] = true
	}
}

// The local store's directory and files are Haven's alone, and a failed
// put leaves no temporary file behind.
func TestLocalPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "files")
	s, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the directory was made before anything was stored: %v", err)
	}
	notFound(t, s, NewKey())
	key := NewKey()
	put(t, s, key, []byte("x"), "application/pdf")
	s.Put(t.Context(), NewKey(), strings.NewReader("x"), 5, "application/pdf") // fails: ends early
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, key[:2]): 0o700, filepath.Join(dir, key[:2], key): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", path, st.Mode().Perm(), want)
		}
	}
	var names []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			names = append(names, d.Name())
		}
		return nil
	})
	if len(names) != 1 || names[0] != key {
		t.Errorf("files on disk: %q, want only %s", names, key)
	}
	// A directory others can enter is refused.
	open := filepath.Join(t.TempDir(), "open")
	os.Mkdir(open, 0o755)
	if _, err := NewLocal(open); err == nil || !strings.Contains(err.Error(), "chmod 700") {
		t.Errorf("NewLocal(0755 directory) = %v", err)
	}
}

// A symbolic link planted in the directory, to a file or to a directory
// outside it, cannot lead a read or a write outside it.
func TestLocalSymlinkEscape(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	os.Mkdir(outside, 0o700)
	dir := filepath.Join(base, "files")
	os.Mkdir(dir, 0o700)
	s, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	fileLink, dirLink := NewKey(), NewKey()
	for dirLink[:2] == fileLink[:2] {
		dirLink = NewKey()
	}
	os.WriteFile(filepath.Join(outside, fileLink), []byte(header+"text/plain\nnot yours"), 0o600)
	os.WriteFile(filepath.Join(outside, dirLink), []byte(header+"text/plain\nnot yours"), 0o600)
	os.Mkdir(filepath.Join(dir, fileLink[:2]), 0o700)
	if err := os.Symlink(filepath.Join(outside, fileLink), filepath.Join(dir, fileLink[:2], fileLink)); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, dirLink[:2])); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{fileLink, dirLink} {
		if rc, _, err := s.Open(t.Context(), key); err == nil {
			b, _ := io.ReadAll(rc)
			rc.Close()
			t.Errorf("read %q through a symbolic link", b)
		}
	}
	s.Put(t.Context(), dirLink, strings.NewReader("overwritten"), 11, "text/plain")
	s.Delete(t.Context(), dirLink)
	if b, err := os.ReadFile(filepath.Join(outside, dirLink)); err != nil || !strings.Contains(string(b), "not yours") {
		t.Errorf("the file outside was changed: %q %v", b, err)
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 2 {
		t.Errorf("files outside: %d, want 2", len(entries))
	}
}

// The S3 store puts objects under its prefix, with the content type.
func TestS3Prefix(t *testing.T) {
	s := newFakeS3(t, "library/files")
	key := NewKey()
	put(t, s, key, []byte("x"), "image/png")
	st, err := s.c.StatObject(t.Context(), "haven-files", "library/files/"+key, minioStat)
	if err != nil || st.ContentType != "image/png" {
		t.Errorf("stat: %+v %v", st, err)
	}
}
