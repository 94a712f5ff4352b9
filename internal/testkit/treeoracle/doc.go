// Package treeoracle is a slow, obviously correct model of the interval
// trees of package interval, and the seeded workloads that their tests and
// benchmarks share.
//
// The model is a plain slice in insertion order: every query is a linear
// scan followed by a stable sort, so nothing in it can share a bug with the
// balanced trees it checks.
package treeoracle
