package gen

import "strconv"

// idChunk is how many ids an idPool formats per allocation.
const idChunk = 4096

// idPool hands out the ids prefix1, prefix2, ... as substrings of one
// shared string per chunk, so two million appointment ids cost a few
// hundred allocations instead of two million.
type idPool struct {
	prefix string
	n      int    // number of the next id to format
	chunk  string // formatted ids, back to back
	ends   []int  // end offset in chunk of each id
	i      int    // index in ends of the next id to hand out
}

func newIDPool(prefix string) *idPool { return &idPool{prefix: prefix, n: 1} }

func (p *idPool) next() string {
	if p.i == len(p.ends) {
		p.fill()
	}
	start := 0
	if p.i > 0 {
		start = p.ends[p.i-1]
	}
	s := p.chunk[start:p.ends[p.i]]
	p.i++
	return s
}

func (p *idPool) fill() {
	b := make([]byte, 0, idChunk*(len(p.prefix)+len(strconv.Itoa(p.n+idChunk))))
	p.ends = p.ends[:0]
	for range idChunk {
		b = append(b, p.prefix...)
		b = strconv.AppendInt(b, int64(p.n), 10)
		p.n++
		p.ends = append(p.ends, len(b))
	}
	p.chunk = string(b)
	p.i = 0
}
