package web

import (
	"strconv"
	"testing"
)

// FuzzDirPageNumber: whatever a link's page parameter holds, it is either
// refused or a page the results have, and a page read back is the number
// written.
func FuzzDirPageNumber(f *testing.F) {
	for _, seed := range []struct {
		raw   string
		total int
	}{{"", 0}, {"1", 63}, {"4", 63}, {"5", 63}, {"0", 1}, {"-1", 1}, {"+2", 63}, {"0x10", 63}, {"999999", 1 << 30}, {"1e3", 63}, {" 2", 63}, {"２", 63}} {
		f.Add(seed.raw, seed.total)
	}
	f.Fuzz(func(t *testing.T, raw string, total int) {
		if total < 0 {
			total = -total
		}
		total %= 1 << 30
		n, ok := dirPageNumber(raw, total)
		if !ok {
			return
		}
		if n < 1 || (n > 1 && (n-1)*dirPerPage >= total) {
			t.Fatalf("dirPageNumber(%q, %d) = %d: not a page the results have", raw, total, n)
		}
		if raw != "" && raw != strconv.Itoa(n) && raw != "0"+strconv.Itoa(n) {
			// Leading zeros are the only other spelling Atoi reads as n.
			if s := trimZeros(raw); s != strconv.Itoa(n) {
				t.Fatalf("dirPageNumber(%q) = %d", raw, n)
			}
		}
	})
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
