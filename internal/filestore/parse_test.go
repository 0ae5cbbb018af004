package filestore

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minio/minio-go/v7"
)

var minioStat = minio.StatObjectOptions{}

func TestParse(t *testing.T) {
	tests := []struct {
		spec    string
		want    Location
		wantErr string
	}{
		{spec: "file:/var/lib/haven/files", want: Location{Dir: "/var/lib/haven/files"}},
		{spec: "file:///var/lib/haven/files/", want: Location{Dir: "/var/lib/haven/files"}},
		{spec: "file:./data/files", want: Location{Dir: "data/files"}},
		{spec: "s3://haven-files?region=eu-west-2", want: Location{S3: &S3Config{Bucket: "haven-files", Endpoint: "s3.eu-west-2.amazonaws.com", Region: "eu-west-2", Secure: true}}},
		{spec: "s3://haven-files/library/v1?endpoint=minio.internal:9000&region=us-east-1&tls=false",
			want: Location{S3: &S3Config{Bucket: "haven-files", Prefix: "library/v1", Endpoint: "minio.internal:9000", Region: "us-east-1"}}},
		{spec: "", wantErr: "want file:"},
		{spec: "file:", wantErr: "want file:DIRECTORY"},
		{spec: "/var/lib/haven/files", wantErr: "want file:"},
		{spec: "s3://AKIA:secret@haven-files?region=eu-west-2", wantErr: "HAVEN_S3_SECRET_KEY"},
		{spec: "s3://Haven_Files?region=eu-west-2", wantErr: "bucket"},
		{spec: "s3://haven-files", wantErr: "endpoint=HOST or region"},
		{spec: "s3://haven-files?region=eu-west-2&secret=x", wantErr: `unknown setting "secret"`},
		{spec: "s3://haven-files?endpoint=http://evil/", wantErr: "endpoint"},
		{spec: "s3://haven-files?region=eu-west-2&tls=maybe", wantErr: "tls"},
		{spec: "s3://haven-files/../x?region=eu-west-2", wantErr: "prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := Parse(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse = %+v, %v; want an error with %q", got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret@") {
					t.Errorf("the error repeats the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestS3ConfigStringHidesSecret(t *testing.T) {
	c := S3Config{Bucket: "b", Endpoint: "e", AccessKey: "AKIAEXAMPLE", SecretKey: "wJalrXUtnFEMI-secret"}
	for _, s := range []string{c.String()} {
		if strings.Contains(s, "wJalrXUtnFEMI-secret") {
			t.Errorf("%q shows the secret", s)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"file:/var/lib/haven/files", "s3://haven-files/p?endpoint=h:9000&region=r&tls=false", "s3://a:b@c", "file:\x00", "s3://%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		loc, err := Parse(spec)
		if err != nil {
			return
		}
		if (loc.Dir == "") == (loc.S3 == nil) {
			t.Fatalf("Parse(%q) = %+v", spec, loc)
		}
		if loc.S3 != nil && (loc.S3.AccessKey != "" || loc.S3.SecretKey != "" || !bucketPattern.MatchString(loc.S3.Bucket)) {
			t.Fatalf("Parse(%q) = %+v", spec, loc.S3)
		}
	})
}
