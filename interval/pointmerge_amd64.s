//go:build amd64 && !purego

#include "textflag.h"

// The endpoint merge of pointmerge.go with AVX-512 foundation instructions
// (and BMI2's BZHI, POPCNT), so that it runs on every processor with
// AVX-512, from Skylake-SP and Zen 4 on.
//
// A step from the front loads the next sixteen endpoints of a and of b and
// encodes them (a shift, and an OR with the tie and source bits; folding
// that into the load with VBMI2's VPSHRDQ measured no faster). The sixteen smallest of the thirty-two are the lane-wise
// minimum of a's and b's reversed, and the lanes where a's is the smaller
// count those from a; the minimum is a bitonic sequence, which four
// compare-exchange stages sort. The flips table gives which of them flip
// the status; those are decoded, compressed and stored. A step from the
// back takes the sixteen largest the same way with the maximum, and stores
// them below what it stored before. The two lanes are independent, so the
// processor overlaps their latency chains (load, compare, count, advance):
// inputs of tens to hundreds of intervals merge about 1.5 times faster than
// in one lane; on long inputs one lane would do as well.
//
// Near the ends, loads are masked and the missing lanes read as +infinity
// (from the front) or -infinity (from the back), which are never taken
// while at least sixteen endpoints are left for each lane, as long as the
// endpoints fit the encoding. Unnormalised inputs may hold endpoints that
// do not (appendPoints checks only the first and the last); a lane may then
// take a padding lane and overrun the other, which appendPoints detects and
// answers by declining, but every load stays masked to the inputs and every
// store to the room. When fewer than
// thirty-two are left, steps run from the front only, and the last one
// takes what is left, dropping the +infinity lanes it sorted last.
//
// Registers: SI, DI the endpoints of a and b; R10, R11 the endpoints merged
// from the front; R13, R15 the ends of what is left; R12 the front output,
// CX the back output; AX the pointOp; BX the pointMerge. Z31 reverses lanes,
// Z30 holds 1 in each lane, Z29 and Z28 the last shuffles of SORT16, Z27
// +infinity, Z26 -infinity.

#include "pointmerge_amd64.h"

// TIES loads the encoding's bits for endpoints from index n (of a, and of b,
// whose index has the same parity) into Z20 and Z21, and leaves n's parity
// times 64 in R9.
#define TIES(n) \
	MOVL n, R9 \
	ANDL $1, R9 \
	SHLL $6, R9 \
	VMOVDQU64 OP_TIES_A(AX)(R9*1), Z20 \
	VMOVDQU64 OP_TIES_B(AX)(R9*1), Z21

// ENCODE loads the eight endpoints at mem into z, encoded with the bits in
// ties; ENCODEMASKED loads only the lanes k selects and leaves the others.
#define ENCODE(mem, ties, z) \
	VPSLLQ $2, mem, z \
	VPORQ ties, z, z

#define ENCODEMASKED(mem, ties, k, z) \
	VPSLLQ $2, mem, k, z \
	VPORQ ties, z, k, z

// FRONTLOADS encodes into Z0-Z3 the next sixteen endpoints of a and of b,
// and BACKLOADS the last sixteen before the ends. The MASKED forms load the
// lanes K1, K2 (a) and K3, K4 (b) select and fill the others with pad.
#define FRONTLOADS \
	ENCODE((SI)(R10*8), Z20, Z0) \
	ENCODE(64(SI)(R10*8), Z20, Z1) \
	ENCODE((DI)(R11*8), Z21, Z2) \
	ENCODE(64(DI)(R11*8), Z21, Z3)

#define BACKLOADS \
	ENCODE(-128(SI)(R13*8), Z20, Z0) \
	ENCODE(-64(SI)(R13*8), Z20, Z1) \
	ENCODE(-128(DI)(R15*8), Z21, Z2) \
	ENCODE(-64(DI)(R15*8), Z21, Z3)

#define FRONTMASKEDLOADS(pad) \
	VMOVDQA64 pad, Z0 \
	VMOVDQA64 pad, Z1 \
	VMOVDQA64 pad, Z2 \
	VMOVDQA64 pad, Z3 \
	ENCODEMASKED((SI)(R10*8), Z20, K1, Z0) \
	ENCODEMASKED(64(SI)(R10*8), Z20, K2, Z1) \
	ENCODEMASKED((DI)(R11*8), Z21, K3, Z2) \
	ENCODEMASKED(64(DI)(R11*8), Z21, K4, Z3)

#define BACKMASKEDLOADS(pad) \
	VMOVDQA64 pad, Z0 \
	VMOVDQA64 pad, Z1 \
	VMOVDQA64 pad, Z2 \
	VMOVDQA64 pad, Z3 \
	ENCODEMASKED(-128(SI)(R13*8), Z20, K1, Z0) \
	ENCODEMASKED(-64(SI)(R13*8), Z20, K2, Z1) \
	ENCODEMASKED(-128(DI)(R15*8), Z21, K3, Z2) \
	ENCODEMASKED(-64(DI)(R15*8), Z21, K4, Z3)

// COUNT16 sets DX to the number of lanes set in K1 and K2.
#define COUNT16 \
	KUNPCKBW K1, K2, K3 \
	KMOVW K3, DX \
	POPCNTL DX, DX

// SPLIT16 takes, from the encoded Z0-Z3, the sixteen smallest (op VPMINSQ,
// cmp 1) or largest (VPMAXSQ, 6) into Z6 and Z7, and their count from a
// into DX.
#define SPLIT16(op, cmp) \
	VPERMQ Z3, Z31, Z4 \
	VPERMQ Z2, Z31, Z5 \
	VPCMPQ $cmp, Z4, Z0, K1 \
	VPCMPQ $cmp, Z5, Z1, K2 \
	op Z4, Z0, Z6 \
	op Z5, Z1, Z7 \
	COUNT16

// SORT16 sorts the bitonic sixteen of Z6 (first eight) and Z7 into Z6 and
// Z7, marks a's lanes in K1 and K2, and decodes them into Z8 and Z9. Each
// compare-exchange stage pairs the lanes of two vectors, shuffled together
// so that one minimum and one maximum serve all sixteen; the last
// shuffles put the lanes back in order.
#define SORT16 \
	VPMINSQ Z7, Z6, Z8 \
	VPMAXSQ Z7, Z6, Z9 \
	VSHUFI64X2 $0x11, Z9, Z8, Z4 \
	VSHUFI64X2 $0xbb, Z9, Z8, Z5 \
	VPMINSQ Z5, Z4, Z8 \
	VPMAXSQ Z5, Z4, Z9 \
	VSHUFI64X2 $0x77, Z9, Z8, Z4 \
	VSHUFI64X2 $0x22, Z9, Z8, Z5 \
	VPMINSQ Z5, Z4, Z8 \
	VPMAXSQ Z5, Z4, Z9 \
	VPUNPCKLQDQ Z9, Z8, Z4 \
	VPUNPCKHQDQ Z9, Z8, Z5 \
	VPMINSQ Z5, Z4, Z8 \
	VPMAXSQ Z5, Z4, Z9 \
	VMOVDQA64 Z29, Z6 \
	VPERMI2Q Z9, Z8, Z6 \
	VMOVDQA64 Z28, Z7 \
	VPERMI2Q Z9, Z8, Z7 \
	VPTESTNMQ Z30, Z6, K1 \
	VPTESTNMQ Z30, Z7, K2 \
	VPSRAQ $2, Z6, Z8 \
	VPSRAQ $2, Z7, Z9

// FLIPS16 looks up the entries of the sorted Z6 (K1) and Z7 (K2) into R8
// and R9, from R9 = the parity of the endpoints of a (and of b) merged
// before them, times 64; the second half follows as many endpoints of a
// more as the first has.
#define FLIPS16 \
	SHLL $2, R9 \
	KMOVW K1, R8 \
	POPCNTL R8, R14 \
	ORL R9, R8 \
	MOVL OP_FLIPS(AX)(R8*4), R8 \
	SHLL $8, R14 \
	ANDL $0x100, R14 \
	XORL R14, R9 \
	KMOVW K2, R14 \
	ORL R14, R9 \
	MOVL OP_FLIPS(AX)(R9*4), R9

// TOTAL sets R14 to the number of flips in the entries R8 and R9, times 8.
#define TOTAL \
	MOVL R8, R14 \
	SHRL $16, R14 \
	MOVL R9, DX \
	SHRL $16, DX \
	ADDL DX, R14 \
	SHLQ $3, R14

// A step's flips are known at the end of its long chain of latencies, and
// the address they go to only once those of all the steps before are. A
// store whose address is late holds back the loads issued after it (more so
// when their addresses agree with its modulo 4096, as those of page-aligned
// inputs and output do), so a step compresses its flips into registers and
// stores those of the step before, whose address is known by then: Z12, Z13
// and the entries at M_FRONTHELD hold a step from the front, Z18, Z19 and
// M_BACKHELD one from the back. Entries of zero, as at the start, store
// nothing.

// HOLD compresses the flips of the sorted, decoded Z8 and Z9 that the
// entries R8 and R9 mark into z0 and z1.
#define HOLD(z0, z1) \
	KMOVW R8, K3 \
	VPCOMPRESSQ Z8, K3, z0 \
	KMOVW R9, K3 \
	VPCOMPRESSQ Z9, K3, z1

// FRONTHELD stores the step from the front held in Z12, Z13 and
// M_FRONTHELD at R12, or jumps to full when it would reach the back's
// output.
#define FRONTHELD \
	MOVL M_FRONTHELD(BX), R8 \
	MOVL M_FRONTHELD+4(BX), R9 \
	TOTAL \
	ADDQ R12, R14 \
	CMPQ R14, CX \
	JHI full \
	STORE(Z12, R8, R12) \
	STORE(Z13, R9, R12)

// BACKHELD stores the step from the back held in Z18, Z19 and M_BACKHELD
// below CX, or jumps to full when it would reach the front's output.
#define BACKHELD \
	MOVL M_BACKHELD(BX), R8 \
	MOVL M_BACKHELD+4(BX), R9 \
	TOTAL \
	MOVQ CX, DX \
	SUBQ R14, DX \
	CMPQ DX, R12 \
	JCS full \
	MOVQ DX, CX \
	MOVQ DX, R14 \
	STORE(Z18, R8, R14) \
	STORE(Z19, R9, R14)

// STORE stores at ptr the compressed endpoints z that entry counts, and
// advances ptr past them.
#define STORE(z, entry, ptr) \
	SHRL $8, entry \
	KMOVW entry, K4 \
	SHRL $8, entry \
	VMOVDQU64 z, K4, (ptr) \
	LEAQ (ptr)(entry*8), ptr

// SWAP compresses the flips of a step into z0 and z1, stores the step held
// before with storeheld, and holds this one in h0, h1 and the entries at
// held.
#define SWAP(z0, z1, storeheld, held, h0, h1) \
	HOLD(z0, z1) \
	MOVL R8, M_ENTRIES(BX) \
	MOVL R9, M_ENTRIES+4(BX) \
	storeheld \
	MOVQ M_ENTRIES(BX), DX \
	MOVQ DX, held(BX) \
	VMOVDQA64 z0, h0 \
	VMOVDQA64 z1, h1

// FRONT is a step from the front on the encoded Z0-Z3.
#define FRONT \
	SPLIT16(VPMINSQ, 1) \
	ADDQ DX, R10 \
	SUBQ DX, R11 \
	ADDQ $16, R11 \
	SORT16 \
	FLIPS16 \
	SWAP(Z10, Z11, FRONTHELD, M_FRONTHELD, Z12, Z13)

// BACK is a step from the back on the encoded Z0-Z3; its flips follow the
// endpoints before the sixteen it takes, so R9 becomes the parity of the
// new end of a, times 64.
#define BACK \
	SPLIT16(VPMAXSQ, 6) \
	SUBQ DX, R13 \
	ADDQ DX, R15 \
	SUBQ $16, R15 \
	SORT16 \
	MOVL R13, R9 \
	ANDL $1, R9 \
	SHLL $6, R9 \
	FLIPS16 \
	SWAP(Z16, Z17, BACKHELD, M_BACKHELD, Z18, Z19)

// FRONTMASKS sets K1, K2 (a) and K3, K4 (b) to the lanes of a step from the
// front that lie before the ends, from R8 = what is left of a, R14 = of b.
#define FRONTMASKS \
	MOVL $16, DX \
	CMPQ R8, DX \
	CMOVQGT DX, R8 \
	CMPQ R14, DX \
	CMOVQGT DX, R14 \
	MOVL $0xffff, DX \
	BZHIL R8, DX, R8 \
	BZHIL R14, DX, R14 \
	KMOVW R8, K1 \
	KSHIFTRW $8, K1, K2 \
	KMOVW R14, K3 \
	KSHIFTRW $8, K3, K4

// BACKMASKS sets K1-K4 to the lanes of a step from the back that lie at or
// after the front, from R8 = what is left of a, R14 = of b.
#define BACKMASKS \
	MOVL $16, DX \
	CMPQ R8, DX \
	CMOVQGT DX, R8 \
	CMPQ R14, DX \
	CMOVQGT DX, R14 \
	NEGQ R8 \
	ADDQ $16, R8 \
	NEGQ R14 \
	ADDQ $16, R14 \
	MOVL $0xffff, DX \
	BZHIL R8, DX, R8 \
	BZHIL R14, DX, R14 \
	XORL DX, R8 \
	XORL DX, R14 \
	KMOVW R8, K1 \
	KSHIFTRW $8, K1, K2 \
	KMOVW R14, K3 \
	KSHIFTRW $8, K3, K4

// func mergePoints(m *pointMerge)
TEXT ·mergePoints(SB), NOSPLIT, $0-8
	ENTER
	VMOVDQU64 reverse<>(SB), Z31
	VMOVDQU64 sortlow<>(SB), Z29
	VMOVDQU64 sorthigh<>(SB), Z28
	MOVQ $1, DX
	VPBROADCASTQ DX, Z30
	MOVQ $0x7fffffffffffffff, DX
	VPBROADCASTQ DX, Z27
	MOVQ $0x8000000000000000, DX
	VPBROADCASTQ DX, Z26

lanes:
	// Sixteen endpoints of each input left: two lanes, plain loads.
	MOVQ R13, DX
	SUBQ R10, DX
	CMPQ DX, $16
	JLT maskedlanes
	MOVQ R15, DX
	SUBQ R11, DX
	CMPQ DX, $16
	JLT maskedlanes
	TIES(R10)
	FRONTLOADS
	FRONT
	TIES(R13)
	BACKLOADS
	BACK
	JMP lanes

maskedlanes:
	// Thirty-two endpoints left: two lanes, masked loads.
	MOVQ R13, R8
	SUBQ R10, R8
	JLE flush
	MOVQ R15, R14
	SUBQ R11, R14
	JLE flush
	LEAQ (R8)(R14*1), DX
	CMPQ DX, $32
	JLT front
	FRONTMASKS
	TIES(R10)
	FRONTMASKEDLOADS(Z27)
	FRONT
	MOVQ R13, R8
	SUBQ R10, R8
	MOVQ R15, R14
	SUBQ R11, R14
	BACKMASKS
	TIES(R13)
	BACKMASKEDLOADS(Z26)
	BACK
	JMP maskedlanes

front:
	// Fewer than thirty-two left: steps from the front of up to sixteen,
	// while both inputs last.
	MOVQ R13, R8
	SUBQ R10, R8
	JLE flush
	MOVQ R15, R14
	SUBQ R11, R14
	JLE flush
	LEAQ (R8)(R14*1), DX
	CMPQ DX, $16
	JLT flush
	FRONTMASKS
	TIES(R10)
	FRONTMASKEDLOADS(Z27)
	FRONT
	JMP front

flush:
	// Store the steps the lanes hold, then take what is left, if both
	// inputs last.
	BACKHELD
	FRONTHELD
	MOVQ R13, R8
	SUBQ R10, R8
	JLE done
	MOVQ R15, R14
	SUBQ R11, R14
	JLE done

last:
	// Fewer than sixteen left: one step takes them all, and the lanes
	// after them, +infinity, must not flip.
	FRONTMASKS
	TIES(R10)
	FRONTMASKEDLOADS(Z27)
	SPLIT16(VPMINSQ, 1)
	SORT16
	FLIPS16
	// Keep the flips of the first n lanes, n being what was left.
	MOVQ R13, R14
	SUBQ R10, R14
	ADDQ R15, R14
	SUBQ R11, R14
	MOVL $0xffff, DX
	BZHIL R14, DX, R14
	ANDL R14, R8
	ANDL $0xff, R8
	MOVL OP_EMIT(AX)(R8*4), R8
	SHRL $8, R14
	ANDL R14, R9
	ANDL $0xff, R9
	MOVL OP_EMIT(AX)(R9*4), R9
	MOVQ R13, R10
	MOVQ R15, R11
	HOLD(Z12, Z13)
	MOVL R8, M_FRONTHELD(BX)
	MOVL R9, M_FRONTHELD+4(BX)
	FRONTHELD
	JMP done

full:
	MOVQ $1, M_FULL(BX)

done:
	LEAVE

// func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL subleaf+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

DATA reverse<>+0(SB)/8, $7
DATA reverse<>+8(SB)/8, $6
DATA reverse<>+16(SB)/8, $5
DATA reverse<>+24(SB)/8, $4
DATA reverse<>+32(SB)/8, $3
DATA reverse<>+40(SB)/8, $2
DATA reverse<>+48(SB)/8, $1
DATA reverse<>+56(SB)/8, $0
GLOBL reverse<>(SB), RODATA|NOPTR, $64

// The lanes of the last stage of SORT16 that hold the sorted first and
// last eight.
DATA sortlow<>+0(SB)/8, $2
DATA sortlow<>+8(SB)/8, $10
DATA sortlow<>+16(SB)/8, $3
DATA sortlow<>+24(SB)/8, $11
DATA sortlow<>+32(SB)/8, $6
DATA sortlow<>+40(SB)/8, $14
DATA sortlow<>+48(SB)/8, $7
DATA sortlow<>+56(SB)/8, $15
GLOBL sortlow<>(SB), RODATA|NOPTR, $64
DATA sorthigh<>+0(SB)/8, $0
DATA sorthigh<>+8(SB)/8, $8
DATA sorthigh<>+16(SB)/8, $1
DATA sorthigh<>+24(SB)/8, $9
DATA sorthigh<>+32(SB)/8, $4
DATA sorthigh<>+40(SB)/8, $12
DATA sorthigh<>+48(SB)/8, $5
DATA sorthigh<>+56(SB)/8, $13
GLOBL sorthigh<>(SB), RODATA|NOPTR, $64
