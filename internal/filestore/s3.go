package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config is where an S3-compatible store is and the keys to it.
type S3Config struct {
	Endpoint  string // host[:port]
	Region    string
	Bucket    string
	Prefix    string // objects are PREFIX/KEY
	Secure    bool   // HTTPS
	AccessKey string
	SecretKey string
	// Transport replaces the HTTP transport (tests).
	Transport http.RoundTripper
}

// String leaves the secret key out, wherever the config is printed.
func (c S3Config) String() string {
	return fmt.Sprintf("s3://%s/%s (endpoint %s, region %s)", c.Bucket, c.Prefix, c.Endpoint, c.Region)
}

// S3 keeps files as objects in a bucket, for national deployments with
// more than one Haven instance.
type S3 struct {
	c      *minio.Client
	bucket string
	prefix string
}

// NewS3 connects and checks the bucket exists: Haven never creates one, so
// a mistyped name fails at start-up rather than scattering files.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	if c.AccessKey == "" || c.SecretKey == "" {
		return nil, errors.New("s3 files: set HAVEN_S3_ACCESS_KEY and HAVEN_S3_SECRET_KEY")
	}
	cl, err := minio.New(c.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure:       c.Secure,
		Region:       c.Region,
		BucketLookup: minio.BucketLookupPath,
		Transport:    c.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 files %s: %w", c, err)
	}
	ok, err := cl.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3 files %s: %w", c, err)
	}
	if !ok {
		return nil, fmt.Errorf("s3 files %s: the bucket does not exist", c)
	}
	prefix := c.Prefix
	if prefix != "" {
		prefix += "/"
	}
	return &S3{c: cl, bucket: c.Bucket, prefix: prefix}, nil
}

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkPut(key, size, contentType); err != nil {
		return err
	}
	// One PUT with the length known: a short reader fails the request and
	// no object is written. Every upload fits in one part (16 MiB+).
	info, err := s.c.PutObject(ctx, s.bucket, s.prefix+key, &exact{r: r, left: size}, size, minio.PutObjectOptions{
		ContentType:      contentType,
		DisableMultipart: true,
		// Content-MD5: the server checks that what it stores is what was sent.
		SendContentMd5: true,
	})
	if errors.Is(err, errShort) {
		return errShort
	}
	if err != nil {
		return fmt.Errorf("filestore: put: %w", err)
	}
	if info.Size != size {
		s.c.RemoveObject(context.WithoutCancel(ctx), s.bucket, s.prefix+key, minio.RemoveObjectOptions{})
		return errShort
	}
	return nil
}

// exact reads left bytes and says so plainly if the reader ends sooner.
type exact struct {
	r    io.Reader
	left int64
}

func (e *exact) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if errors.Is(err, io.EOF) && e.left > 0 {
		return n, errShort
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}

// Open implements Store.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if !ValidKey(key) {
		return nil, Info{}, errNotFound
	}
	obj, err := s.c.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, fmt.Errorf("filestore: %w", err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).StatusCode == http.StatusNotFound {
			return nil, Info{}, errNotFound
		}
		return nil, Info{}, fmt.Errorf("filestore: %w", err)
	}
	return obj, Info{Size: st.Size, ContentType: st.ContentType, Modified: st.LastModified.UTC()}, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return nil
	}
	if err := s.c.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("filestore: delete: %w", err)
	}
	return nil
}
