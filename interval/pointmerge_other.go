//go:build !amd64 || purego

package interval

// vectorMerges is empty: the endpoint merge has no vector form here.
var vectorMerges []namedMerge
