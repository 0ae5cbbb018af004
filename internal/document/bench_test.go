package document

import "testing"

func BenchmarkSmallPDF(b *testing.B) {
	for b.Loop() {
		d := NewPDF(Meta{Title: "Letter", Foot: []string{"Printed."}})
		d.Title("Dear Agnieszka Wiśniewska-Łącka Nguyễn")
		d.Para("A short letter.", 8)
		if _, err := d.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
