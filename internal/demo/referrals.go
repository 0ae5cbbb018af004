package demo

// referrals seeds the demo referrals. See demo.go for the order.
func (s *seeder) referrals() error { return nil }
