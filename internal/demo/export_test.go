package demo

// CheckDirectorySpread is checkDirectorySpread for the external tests, which
// check the directory a load wrote.
var CheckDirectorySpread = checkDirectorySpread
