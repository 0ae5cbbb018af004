package store_test

import (
	"testing"

	"haven/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
