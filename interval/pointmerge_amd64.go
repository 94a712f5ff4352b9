//go:build amd64 && !purego

package interval

// vectorMerges are the forms of the vector merge this machine runs, the
// fastest first: the AVX-512 form needs the AVX-512 foundation, BMI2 and
// POPCNT instructions and the operating system saving the ZMM state.
var vectorMerges = detectVectorMerges()

func detectVectorMerges() []namedMerge {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return nil
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const popcnt, osxsave = 1 << 23, 1 << 27
	if ecx1&popcnt == 0 || ecx1&osxsave == 0 {
		return nil
	}
	// The operating system must save the SSE, AVX, opmask and both halves
	// of the ZMM state.
	if xcr0, _ := xgetbv(); xcr0&0xe6 != 0xe6 {
		return nil
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const bmi2, avx512f = 1 << 8, 1 << 16
	if ebx7&bmi2 == 0 || ebx7&avx512f == 0 {
		return nil
	}
	return []namedMerge{{"avx512", mergePoints}, {"avx2", mergePointsAVX2}}
}

func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// mergePoints merges endpoints sixteen at a time, from both ends of the
// inputs while at least thirty-two are left between them, then from the
// front, until an input is exhausted. It leaves m for finishPoints, or sets
// m.full when out has no room.
//
//go:noescape
func mergePoints(m *pointMerge)

//go:noescape
func mergePointsAVX2(m *pointMerge)
