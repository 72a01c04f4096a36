package freelist

import "testing"

func TestList(t *testing.T) {
	l := New(2)
	a := l.Get(100 << 10)
	if len(a) != 0 || cap(a) < 100<<10 {
		t.Fatalf("Get(100 KiB) = len %d cap %d", len(a), cap(a))
	}
	a = append(a, "kept"...)
	l.Put(a)
	b := l.Get(90 << 10)
	if len(b) != 0 || cap(b) != cap(a) || &b[:1][0] != &a[0] {
		t.Errorf("Get after Put did not reuse the buffer (len %d cap %d)", len(b), cap(b))
	}
	// A kept buffer too small for the request is replaced, not grown in place.
	l.Put(b)
	if c := l.Get(cap(b) + 1); cap(c) < cap(b)+1 {
		t.Errorf("Get(%d) = cap %d", cap(b)+1, cap(c))
	}
	tests := []struct {
		name string
		size int
		kept bool
	}{
		{"below MinKept", MinKept - 1, false},
		{"MinKept", MinKept, true},
		{"MaxKept", MaxKept, true},
		{"above MaxKept", MaxKept + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(1)
			buf := make([]byte, 3, tt.size)
			l.Put(buf)
			got := l.Get(1)
			if kept := cap(got) == tt.size; kept != tt.kept {
				t.Errorf("a buffer of %d bytes kept = %v, want %v", tt.size, kept, tt.kept)
			}
		})
	}
	// A full list drops what is handed back beyond its size.
	full := New(1)
	full.Put(make([]byte, 0, MinKept))
	full.Put(make([]byte, 0, MinKept+1))
	if cap(full.Get(1)) != MinKept || cap(full.Get(1)) == MinKept+1 {
		t.Error("a full list kept more than its size")
	}
}
