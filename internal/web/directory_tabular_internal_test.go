package web

import (
	"haven/internal/directory"
	"haven/internal/store"
)

// directoryTabularTemplateCases are TestEveryTemplateRenders' cases for the
// import page: text from a package comes back escaped.
func directoryTabularTemplateCases() map[string]struct {
	p    page
	want string
} {
	report := &directory.Report{Tables: []directory.TableReport{{File: "services.csv", Rows: 3}}, Ignored: []string{"programs.csv: no table"}}
	refused := newDirImportPage()
	refused.Report = report
	refused.Errors = []FieldError{{Field: "file", Message: "Nothing was imported: 1 row was refused"}}
	refused.Rejected = []dirRejection{{File: "services.csv", Row: "2", Column: "name<b>", Reason: "The value must not contain < or >"}}
	refused.Result = &store.DirImportResult{ServicesCreated: 12, ServicesUpdated: 3} // never both on a page; drawn together here
	return map[string]struct {
		p    page
		want string
	}{
		"directory-import.html": {refused, "name&lt;b&gt;"},
	}
}
