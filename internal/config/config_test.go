package config

import (
	"io"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		want     Config
		wantErrs []string
	}{
		{name: "defaults", want: Config{Addr: "127.0.0.1:8080", DB: "sqlite:./data/haven.db", BaseURL: "http://127.0.0.1:8080", LogFormat: "json"}},
		{name: "environment", env: map[string]string{"HAVEN_ADDR": "127.0.0.1:9000", "HAVEN_DB": "postgres://h@localhost/haven", "HAVEN_LOG_FORMAT": "text", "HAVEN_BASE_URL": "https://haven.example.org"},
			want: Config{Addr: "127.0.0.1:9000", DB: "postgres://h@localhost/haven", BaseURL: "https://haven.example.org", LogFormat: "text"}},
		{name: "flags beat environment", args: []string{"--addr", ":7000", "--demo"}, env: map[string]string{"HAVEN_ADDR": "127.0.0.1:9000"},
			want: Config{Addr: ":7000", DB: "sqlite:./data/haven.db", BaseURL: "http://:7000", LogFormat: "json", Demo: true}},
		{name: "every problem listed at once", args: []string{"--addr", "nope", "--db", "mysql://x", "--log-format", "xml", "--base-url", "ftp://x"},
			wantErrs: []string{"--addr", "--db", "--log-format", "--base-url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load("serve", tt.args, env(tt.env), io.Discard)
			if len(tt.wantErrs) > 0 {
				if err == nil {
					t.Fatal("want an error")
				}
				for _, w := range tt.wantErrs {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %s", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRedactedDBHidesPassword(t *testing.T) {
	c := Config{DB: "postgres://haven:s3cret-pw@db.example.org/haven"}
	if strings.Contains(c.RedactedDB(), "s3cret-pw") {
		t.Errorf("RedactedDB() = %q leaks the password", c.RedactedDB())
	}
}
