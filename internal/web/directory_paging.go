package web

import "strconv"

// The public directory's results come a page at a time, with GOV.UK
// pagination: plain links that keep the place and filters, so that paging
// works without JavaScript and a page of results can be shared.

// dirPages is the pagination under the results.
type dirPages struct {
	Prev, Next string // "" on the first and last pages
	Items      []dirPageItem
}

// dirPageItem is a page's number, or an ellipsis for the pages left out.
type dirPageItem struct {
	Number   int
	Href     string
	Current  bool
	Ellipsis bool
}

// dirPageNumber reads the page asked for: 1 if none is, and false if it is
// not a page the results have (a page past the last is not found, as any
// address that names nothing).
func dirPageNumber(raw string, total int) (int, bool) {
	if raw == "" {
		return 1, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || len(raw) > 6 || raw[0] == '+' {
		return 0, false
	}
	return n, n == 1 || (n-1)*dirPerPage < total
}

// dirPagination is the links for page cur of last: the first and last
// pages, the current page and those either side of it, and an ellipsis for
// each gap, as the GOV.UK pattern shows them. Nil for a single page.
func dirPagination(cur, last int, href func(int) string) *dirPages {
	if last <= 1 {
		return nil
	}
	p := &dirPages{}
	if cur > 1 {
		p.Prev = href(cur - 1)
	}
	if cur < last {
		p.Next = href(cur + 1)
	}
	prev := 0
	for n := 1; n <= last; n++ {
		if n != 1 && n != last && (n < cur-1 || n > cur+1) {
			continue
		}
		if n > prev+1 {
			p.Items = append(p.Items, dirPageItem{Ellipsis: true})
		}
		p.Items = append(p.Items, dirPageItem{Number: n, Href: href(n), Current: n == cur})
		prev = n
	}
	return p
}
