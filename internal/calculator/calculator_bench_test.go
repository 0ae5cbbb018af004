package calculator

import (
	"net/url"
	"testing"
)

// The work of one new scenario, without HTTP: the discounted ones are the dearest.
func BenchmarkCalculate(b *testing.B) {
	rh, _ := ParseReturnHome(url.Values{"discount": {"3.5"}, "years": {"25"}, "supportBy": {"need"}})
	ic, _ := ParseInfantCare(url.Values{"careCost": {"60000"}, "programmeCost": {"500000"}, "discount": {"3.5"}, "years": {"18"}})
	b.Run("return-home-25-years-discounted", func(b *testing.B) {
		for b.Loop() {
			rh.Calculate()
		}
	})
	b.Run("infant-care-18-years-discounted", func(b *testing.B) {
		for b.Loop() {
			ic.Calculate()
		}
	})
}
