//go:build amd64 && !purego

package interval

// haveVectorMerge reports whether the processor and the operating system
// support the AVX-512 (foundation and VBMI2), BMI2 and POPCNT instructions
// of the vector merge.
var haveVectorMerge = detectVectorMerge()

func detectVectorMerge() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const popcnt, osxsave = 1 << 23, 1 << 27
	if ecx1&popcnt == 0 || ecx1&osxsave == 0 {
		return false
	}
	// The operating system must save the SSE, AVX, opmask and both halves
	// of the ZMM state.
	if xcr0, _ := xgetbv(); xcr0&0xe6 != 0xe6 {
		return false
	}
	_, ebx7, ecx7, _ := cpuid(7, 0)
	const bmi2, avx512f, avx512vbmi2 = 1 << 8, 1 << 16, 1 << 6
	return ebx7&bmi2 != 0 && ebx7&avx512f != 0 && ecx7&avx512vbmi2 != 0
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

func mergePointsVector(m *pointMerge) { mergePoints(m) }
