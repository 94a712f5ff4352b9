//go:build !amd64 || purego

package interval

// haveVectorMerge is false: the endpoint merge has no vector form here.
const haveVectorMerge = false

func mergePointsVector(*pointMerge) {}
