package store

import (
	"context"
	"database/sql"
	"io/fs"
)

// dialect is everything that differs between SQLite and PostgreSQL.
// Each database has one file: sqlite.go and postgres.go.
type dialect interface {
	name() string
	// open returns the write pool and the read pool (the same pool on PostgreSQL).
	open(ctx context.Context, url string) (write, read *sql.DB, err error)
	// translate turns a driver error into one of Haven's kinds; other errors pass through.
	translate(err error) error
	// migrations is the dialect's directory of numbered .sql files.
	migrations() fs.FS
	// lockMigrations serialises migrators started at the same time.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
	// lockRow is what a SELECT adds to lock the rows it reads until commit.
	lockRow() string
	// tableExistsSQL asks whether the table named $1 exists.
	tableExistsSQL() string
	// inIDs tests a column against the IDs in parameter param, a JSON array:
	// one statement text however many IDs, so it is prepared once.
	inIDs(column, param string) string
	// inTexts is inIDs for text keys (the directory's UUIDs).
	inTexts(column, param string) string
	// inSubquery tests a column against the IDs a parenthesised subquery
	// returns.
	inSubquery(column, subquery string) string
	// openCase is true of woman p while nobody has closed her case: she has
	// an enrolment that is not closed, or none yet. Nothing is due for a
	// woman whose every enrolment is closed, and a Practice's closed cases
	// far outnumber its open ones, so tasks leave her out.
	openCase() string
	// day is the date column col as a comparable date. On SQLite a DATE
	// column holds 'YYYY-MM-DD' from Haven's own writes but
	// 'YYYY-MM-DDT00:00:00Z' from the bulk loader, which compare wrongly as text.
	day(col string) string
	// librarySearch selects the id and type of every resource in the
	// statuses $2 (a JSON array) whose text matches $1 (library.Query's
	// Match form), best match first.
	librarySearch() string
	// librarySnippets selects the id and a snippet of the summary, its
	// matches between library.MarkStart and MarkEnd, for the resources in
	// $2 (a JSON array of IDs) matching $1.
	librarySnippets() string
}
