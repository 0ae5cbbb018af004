package e2e

import (
	"context"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// findWithAControlCharacter puts a BEL into the find-a-practice box, as a
// paste from another program might, and sends it: the 422 page that names
// the field and shows what was typed, marked (S22, issue 16 item 3).
func findWithAControlCharacter(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := visit(ctx, s, "/find-a-practice", "/find-a-practice", 200); err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector('#area').value = 'Leeds\u0007') !== ''`)); err != nil {
		return nil, err
	}
	last()
	resp, err := submit(ctx)
	return arrived(resp, err, "search with a control character", "/find-a-practice", 422)
}
