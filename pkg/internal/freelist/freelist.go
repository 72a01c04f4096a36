// Package freelist keeps a few large byte buffers for reuse: the buffers a
// diagram save reads its body into, splices its document into and hands
// bolt, each about a megabyte, which would otherwise be garbage after every
// save. Unlike a sync.Pool, which a garbage collection empties (about once
// per large save), a List keeps its buffers until they are taken.
package freelist

// Kept bounds the buffers a List keeps: smaller ones are not worth it,
// larger ones would hold too much memory while idle.
const (
	MinKept = 64 << 10
	MaxKept = 4 << 20
)

// List is a free list of at most a few buffers of MinKept to MaxKept
// bytes. It is safe for concurrent use; its zero value is not usable (see
// New).
type List struct{ free chan []byte }

// New returns a List keeping at most n buffers.
func New(n int) *List { return &List{free: make(chan []byte, n)} }

// Get returns a kept buffer of length 0 and capacity at least size, or a
// new one with room to grow by an eighth when none is kept or the one
// taken is too small.
func (l *List) Get(size int) []byte {
	var b []byte
	select {
	case b = <-l.free:
	default:
	}
	if cap(b) < size {
		return make([]byte, 0, size+size/8)
	}
	return b[:0]
}

// Put hands b back for reuse; nothing may refer to it after. A buffer
// outside MinKept to MaxKept, or one more than the list keeps, is left to
// the garbage collector.
func (l *List) Put(b []byte) {
	if cap(b) < MinKept || cap(b) > MaxKept {
		return
	}
	select {
	case l.free <- b[:0]:
	default:
	}
}
