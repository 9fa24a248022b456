package smithy

// Pattern is a @pattern trait compiled for Go. Smithy patterns are ECMA-262
// regular expressions; Go's RE2 has no look-ahead and caps repeat counts at
// 1000, so a leading length look-ahead "^(?=.{a,b}$)" and ".{a,b}" with large
// counts are turned into a rune-length check beside the regexp.
type Pattern struct {
	Source string // the pattern exactly as the model writes it
	// Filled by CompilePattern (implemented in the generator helper's change).
}
