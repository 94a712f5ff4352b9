package agenda

import (
	"iter"
	"slices"
)

// agentDir is an index's directory of agents, by agent number. A Live
// snapshot that changes a few agents shares the rest with the snapshot
// before it; the directory is copy-on-write in chunks, so that the new
// snapshot copies the chunk table and the chunks of the changed agents,
// not a pointer per agent of the whole dataset.
type agentDir struct {
	chunks [][]*agentData // agentChunk agents each, the last one fewer
}

// agentChunk is the number of agents of a chunk: a change of one agent
// copies this many pointers and one per agentChunk agents of the table.
const agentChunk = 64

// newAgentDir builds the directory of the agents of list, in order.
func newAgentDir(list []*agentData) agentDir {
	var d agentDir
	for lo := 0; lo < len(list); lo += agentChunk {
		hi := min(lo+agentChunk, len(list))
		d.chunks = append(d.chunks, list[lo:hi:hi])
	}
	return d
}

// at is the agent numbered i.
func (d agentDir) at(i int32) *agentData { return d.chunks[i/agentChunk][i%agentChunk] }

// all yields the agents and their numbers, in number order.
func (d agentDir) all() iter.Seq2[int32, *agentData] {
	return func(yield func(int32, *agentData) bool) {
		i := int32(0)
		for _, c := range d.chunks {
			for _, a := range c {
				if !yield(i, a) {
					return
				}
				i++
			}
		}
	}
}

// with is d with each agent of updated in place of the agent of its
// number. d is left as it was.
func (d agentDir) with(updated []*agentData) agentDir {
	next := agentDir{chunks: slices.Clone(d.chunks)}
	for _, a := range updated {
		c := a.idx / agentChunk
		if &next.chunks[c][0] == &d.chunks[c][0] { // still shared: copy it first
			next.chunks[c] = append([]*agentData(nil), d.chunks[c]...)
		}
		next.chunks[c][a.idx%agentChunk] = a
	}
	return next
}
