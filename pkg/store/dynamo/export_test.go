package dynamo

// SetLayout changes the body layout limits of s, so that tests can make
// every body chunked into many pieces.
func SetLayout(s *Store, inlineMax, chunkSize int) { s.inlineMax, s.chunkSize = inlineMax, chunkSize }
