package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/store"
)

func main() {
	ctx := context.Background()
	db, err := store.Open(ctx, os.Args[1])
	if err != nil {
		panic(err)
	}
	ps, _ := db.ListPractices(ctx, store.Page{Limit: 500})
	ids, names := make([]int64, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		ids[i], names[i] = p.ID, p.Name
	}
	now := time.Now()
	today := haven.NewDate(now.Year(), now.Month(), now.Day())
	for range 7 {
		start := time.Now()
		js, err := db.OutcomeJourneys(ctx, store.OutcomeQuery{Practices: ids})
		if err != nil {
			panic(err)
		}
		read := time.Since(start)
		evaluate.BuildOutcomes(evaluate.GroupByPractice(js, ids, names), today)
		fmt.Println("read", read, "total", time.Since(start), len(js))
	}
}
