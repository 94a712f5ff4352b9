//go:build !amd64 || purego

package interval

// vectorMerges is empty: the endpoint merge has no vector form here.
var vectorMerges []namedMerge

// runMerge is never called: vectorMerge is always noMerge here.
func runMerge(mergeForm, *pointMerge) {}
