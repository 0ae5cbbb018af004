// Package filestore keeps uploaded files under names Haven makes up, on
// local disk or in an S3-compatible bucket. Nothing a user sends, such as a
// file name, ever becomes part of a path or an object name.
package filestore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"haven/internal/haven"
)

// Store keeps files by key.
type Store interface {
	// Put stores size (at least 1) bytes read from r under key, replacing
	// any file with that key. If r ends early or ctx ends, nothing is stored.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open returns the file's contents and what Put was told about it. A
	// key that is not stored, or is not a key at all, is haven.ErrNotFound.
	Open(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Delete removes the file; deleting a missing file is not an error.
	Delete(ctx context.Context, key string) error
}

// Info describes a stored file.
type Info struct {
	Size        int64
	ContentType string
	Modified    time.Time
}

// NewKey returns a fresh random key: 26 characters from a–z and 2–7, 130
// bits, so keys cannot be guessed and never collide in practice.
func NewKey() string { return strings.ToLower(rand.Text()) }

var keyPattern = regexp.MustCompile(`^[a-z2-7]{26}$`)

// ValidKey reports whether key could have come from NewKey. Nothing else
// reaches a path or an object name, so no key can climb out of the store.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

var errNotFound = haven.Errorf(haven.KindNotFound, "The file was not found.")

func checkPut(key string, size int64, contentType string) error {
	switch {
	case !ValidKey(key):
		return fmt.Errorf("filestore: put: the key is not one NewKey made")
	case size <= 0: // uploads are never empty (upload.Check), and S3 servers differ on empty PUTs
		return fmt.Errorf("filestore: put: size %d", size)
	case contentType == "" || len(contentType) > 200 || strings.ContainsFunc(contentType, func(r rune) bool { return r < 0x20 || r > 0x7e }):
		return fmt.Errorf("filestore: put: content type %q", contentType)
	}
	return nil
}

// errShort is a reader that ended before the size Put was given.
var errShort = errors.New("filestore: put: the file ended before its size")

// Location is a parsed --files setting: a directory, or a bucket.
type Location struct {
	Dir string    // file:PATH
	S3  *S3Config // s3://BUCKET[/PREFIX]?endpoint=HOST[:PORT]&region=R[&tls=false]
}

// Parse reads a --files setting. Keys for S3 never go in it: they come
// from HAVEN_S3_ACCESS_KEY and HAVEN_S3_SECRET_KEY.
func Parse(spec string) (Location, error) {
	if dir, ok := strings.CutPrefix(spec, "file:"); ok {
		dir = strings.TrimPrefix(dir, "//") // file:///var/lib/haven/files
		if dir == "" || strings.ContainsRune(dir, 0) {
			return Location{}, errors.New("want file:DIRECTORY, like file:/var/lib/haven/files")
		}
		return Location{Dir: filepath.Clean(dir)}, nil
	}
	if !strings.HasPrefix(spec, "s3://") {
		return Location{}, errors.New("want file:DIRECTORY or s3://BUCKET?endpoint=HOST&region=REGION")
	}
	u, err := url.Parse(spec)
	if err != nil {
		return Location{}, errors.New("the s3:// address does not parse")
	}
	if u.User != nil {
		return Location{}, errors.New("keys do not go in the s3:// address: set HAVEN_S3_ACCESS_KEY and HAVEN_S3_SECRET_KEY")
	}
	c := &S3Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/"), Secure: true}
	if !bucketPattern.MatchString(c.Bucket) {
		return Location{}, fmt.Errorf("bucket %q: want 3 to 63 lower-case letters, digits, dots and hyphens", c.Bucket)
	}
	if c.Prefix != "" && !prefixPattern.MatchString(c.Prefix) {
		return Location{}, fmt.Errorf("prefix %q: want letters, digits, hyphens and slashes", c.Prefix)
	}
	q := u.Query()
	for k := range q {
		if k != "endpoint" && k != "region" && k != "tls" {
			return Location{}, fmt.Errorf("unknown setting %q: want endpoint, region or tls", k)
		}
	}
	c.Endpoint, c.Region = q.Get("endpoint"), q.Get("region")
	switch {
	case c.Endpoint == "" && c.Region != "":
		c.Endpoint = "s3." + c.Region + ".amazonaws.com"
	case c.Endpoint == "":
		return Location{}, errors.New("give endpoint=HOST or region=REGION")
	}
	if !endpointPattern.MatchString(c.Endpoint) {
		return Location{}, fmt.Errorf("endpoint %q: want a host name, with a port if needed", c.Endpoint)
	}
	switch q.Get("tls") {
	case "", "true":
	case "false":
		c.Secure = false
	default:
		return Location{}, errors.New("tls: want true or false")
	}
	return Location{S3: c}, nil
}

var (
	bucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	prefixPattern = regexp.MustCompile(`^[A-Za-z0-9-]+(/[A-Za-z0-9-]+)*$`)
	// A host name or IPv4 address, with a port if needed: never a scheme,
	// a path or user information.
	endpointPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$`)
)

// Open opens the store a --files setting names.
func Open(ctx context.Context, spec, accessKey, secretKey string) (Store, error) {
	loc, err := Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("--files: %w", err)
	}
	if loc.S3 == nil {
		return NewLocal(loc.Dir)
	}
	c := *loc.S3
	c.AccessKey, c.SecretKey = accessKey, secretKey
	return NewS3(ctx, c)
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
