//go:build amd64 && !purego

#include "textflag.h"

// The endpoint merges of pointmerge.go with AVX-512 foundation instructions
// (and BMI2's BZHI and SHLX, POPCNT), so that mergePoints runs on every
// processor with AVX-512, from Skylake-SP and Zen 4 on.
//
// A step from the front loads the next sixteen endpoints of a and of b and
// encodes them: a shift, and an OR with the tie and source bits, or, in
// mergePointsVBMI2, for processors with VBMI2 (Ice Lake and Zen 4 on), one
// VPSHRDQ doing both, 2 to 3.5% faster on a Zen 4. The sixteen smallest of the
// thirty-two are the lane-wise minimum of a's and b's reversed, and the
// lanes where a's is the smaller count those from a, which advances the
// step; the minimum is a bitonic sequence, which four compare-exchange
// stages sort. The endpoints whose tie bit is their lane's keep bit flip
// the status (pointmerge.go says why); those are decoded, compressed and
// stored. A step from the back takes the sixteen largest the same way with
// the maximum, and stores them below what it stored before. Once both
// inputs are merged, the back's output is moved down after the front's.
//
// The two lanes are independent, so the processor overlaps their chains of
// latencies (load, reverse, compare, count, advance: about thirty cycles),
// and the main loop splits the next steps of both lanes before it sorts and
// stores the steps split the turn before, so that the splits, on which all
// later steps wait, enter the scheduler ahead of the sorting that nothing
// waits on. A step stores what its lane held from the step before, whose
// address is known by then, and holds its own: a store whose address is
// late holds back the loads issued after it (more so when their addresses
// agree with its modulo 4096, as those of page-aligned inputs and output
// do).
//
// Near the ends, loads are masked and the missing lanes read as +infinity
// (from the front) or -infinity (from the back), which are never taken
// while at least sixteen endpoints are left for each lane, as long as the
// endpoints fit the encoding. Unnormalised inputs may hold endpoints that
// do not (appendPoints checks only the first and the last); a lane may then
// take a padding lane and overrun the other, which appendPoints detects and
// answers by declining, but every load stays masked to the inputs and every
// store to the room. With seventeen to thirty-one endpoints left, the front
// takes sixteen and the back, at once, the rest; with sixteen or fewer, one
// step from the front takes them all, dropping the +infinity lanes it sorted
// last.
//
// Registers: SI, DI the endpoints of a and b; R10, R11 the endpoints merged
// from the front; R13, R15 the ends of what is left; R12 the front output,
// CX the back output; AX the pointOp; BX the pointMerge. Z31 reverses lanes,
// Z30 holds 2 (the tie bit) in each lane, Z29 and Z28 the last shuffles of
// SORT16, Z27 +infinity, Z26 -infinity, Z25 the keep bits; Z12, Z13 and K5
// the step the front holds, Z18, Z19 and K6 the back's; Z14-Z17 the steps
// split and not yet sorted.

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

// FRONTMASKEDLOADS encodes into Z0-Z3 the next sixteen endpoints of a and
// of b, and BACKMASKEDLOADS the last sixteen before the ends, loading the
// lanes K1, K2 (a) and K3, K4 (b) select and filling the others with pad.
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
// cmp 1) or largest (VPMAXSQ, 6) into o0 and o1, and their count from a
// into DX.
#define SPLIT16(op, cmp, o0, o1) \
	VPERMQ Z3, Z31, Z4 \
	VPERMQ Z2, Z31, Z5 \
	VPCMPQ $cmp, Z4, Z0, K1 \
	VPCMPQ $cmp, Z5, Z1, K2 \
	op Z4, Z0, o0 \
	op Z5, Z1, o1 \
	COUNT16

// SORT16 sorts the bitonic sixteen of Z6 (first eight) and Z7 into Z6 and
// Z7, and decodes them into Z8 and Z9. Each
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
	VPSRAQ $2, Z6, Z8 \
	VPSRAQ $2, Z7, Z9

// KEEP16 marks in K3 and K4 the endpoints of the sorted Z6 and Z7 that
// flip the status: those whose tie bit is their lane's in Z25. A step
// starts at an even index of the merge, so lane parity is index parity.
#define KEEP16 \
	VPXORQ Z25, Z6, Z4 \
	VPXORQ Z25, Z7, Z5 \
	VPTESTNMQ Z30, Z4, K3 \
	VPTESTNMQ Z30, Z5, K4

// HOLD compresses the decoded Z8 and Z9 that K3 and K4 mark into h0 and h1,
// and sets K3 to the store masks of both, the first's in bits 0-7.
#define HOLD(h0, h1) \
	VPCOMPRESSQ Z8, K3, h0 \
	VPCOMPRESSQ Z9, K4, h1 \
	KMOVW K3, R8 \
	KMOVW K4, R9 \
	POPCNTL R8, R8 \
	POPCNTL R9, R9 \
	MOVL $0xff, R14 \
	BZHIL R8, R14, R8 \
	BZHIL R9, R14, R9 \
	SHLL $8, R9 \
	ORL R9, R8 \
	KMOVW R8, K3

// PUTHELD stores the held step z0, z1, whose store masks k holds (of z0 in
// bits 0-7, of z1 in bits 8-15; R8 = k), at ptr, using R9 and K1.
#define PUTHELD(k, z0, z1, ptr) \
	MOVBLZX R8, R9 \
	POPCNTL R9, R9 \
	KSHIFTRW $8, k, K1 \
	VMOVDQU64 z0, k, (ptr) \
	VMOVDQU64 z1, K1, (ptr)(R9*8)

// FRONTHELD stores the step from the front held in Z12, Z13 and K5 at R12,
// or jumps to full when it would reach the back's output.
#define FRONTHELD \
	KMOVW K5, R8 \
	POPCNTL R8, R9 \
	LEAQ (R12)(R9*8), R14 \
	CMPQ R14, CX \
	JHI full \
	PUTHELD(K5, Z12, Z13, R12) \
	MOVQ R14, R12

// BACKHELD stores the step from the back held in Z18, Z19 and K6 below CX,
// or jumps to full when it would reach the front's output.
#define BACKHELD \
	KMOVW K6, R8 \
	POPCNTL R8, R9 \
	SHLQ $3, R9 \
	MOVQ CX, R14 \
	SUBQ R9, R14 \
	CMPQ R14, R12 \
	JCS full \
	PUTHELD(K6, Z18, Z19, R14) \
	MOVQ R14, CX

// A step from the front on the encoded Z0-Z3 splits them (FRONTSPLITTO),
// leaving the sixteen it takes in o0 and o1, then sorts those (from Z14 and
// Z15), stores the step the front held and holds its own (FRONTBODY).
#define FRONTSPLITTO(o0, o1) \
	SPLIT16(VPMINSQ, 1, o0, o1) \
	ADDQ DX, R10 \
	SUBQ DX, R11 \
	ADDQ $16, R11

#define FRONTBODY \
	VMOVDQA64 Z14, Z6 \
	VMOVDQA64 Z15, Z7 \
	SORT16 \
	KEEP16 \
	FRONTHELD \
	HOLD(Z12, Z13) \
	KMOVW K3, K5

#define FRONTSPLIT FRONTSPLITTO(Z14, Z15)

#define FRONT \
	FRONTSPLIT \
	FRONTBODY

// A step from the back likewise, its sixteen sorted from Z16 and Z17.
#define BACKSPLITTO(o0, o1) \
	SPLIT16(VPMAXSQ, 6, o0, o1) \
	SUBQ DX, R13 \
	ADDQ DX, R15 \
	SUBQ $16, R15

#define BACKBODY \
	VMOVDQA64 Z16, Z6 \
	VMOVDQA64 Z17, Z7 \
	SORT16 \
	KEEP16 \
	BACKHELD \
	HOLD(Z18, Z19) \
	KMOVW K3, K6

#define BACKSPLIT BACKSPLITTO(Z16, Z17)

#define BACK \
	BACKSPLIT \
	BACKBODY

// MASKEDFRONT and MASKEDBACK load a step from the front or the back with
// masks, from what is left of a and b in M_LEFT.
#define MASKEDFRONT \
	MOVL M_LEFT(BX), R8 \
	MOVL M_LEFT+4(BX), R14 \
	FRONTMASKS \
	TIES(R10) \
	FRONTMASKEDLOADS(Z27)

#define MASKEDBACK \
	MOVL M_LEFT(BX), R8 \
	MOVL M_LEFT+4(BX), R14 \
	BACKMASKS \
	TIES(R13) \
	BACKMASKEDLOADS(Z26)

// A masked load reads nothing from the lanes it leaves out, but when one of
// those lies on a page that is not present (never touched, or inaccessible)
// the processor takes a slow path to suppress the fault: a Zen 4 spends
// about 150 ns there, seven times a merge of 6 + 6 intervals. So before the
// masked steps, PASTEND jumps to risky when the window of sixteen endpoints
// from index idx of the input at base (n0 endpoints) reaches past its end
// onto another page, and BEFORESTART when the window ending at index end
// starts before the input on another page; the merge then leaves the rest
// to finishPoints. Both use R9 and DX.
#define PASTEND(base, idx, n0, safe, risky) \
	LEAQ 16(idx), R9 \
	CMPQ R9, n0 \
	JLE safe \
	MOVQ n0, R9 \
	LEAQ -1(base)(R9*8), R9 \
	LEAQ 127(base)(idx*8), DX \
	SHRQ $12, R9 \
	SHRQ $12, DX \
	CMPQ R9, DX \
	JNE risky \
safe:

#define BEFORESTART(base, end, safe, risky) \
	CMPQ end, $16 \
	JGE safe \
	LEAQ -128(base)(end*8), DX \
	MOVQ base, R9 \
	SHRQ $12, R9 \
	SHRQ $12, DX \
	CMPQ R9, DX \
	JNE risky \
safe:

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

// The plain loads of mergePoints: a shift and an OR.
#define PLAINTIES(n) TIES(n)

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

// func mergePoints(m *pointMerge)
TEXT ·mergePoints(SB), NOSPLIT, $0-8
#include "pointmerge_avx512_body.h"

#undef PLAINTIES
#undef FRONTLOADS
#undef BACKLOADS

// The plain loads of mergePointsVBMI2: VPSHRDQ shifts the endpoints left by
// two and fills in the bits from the top of the tiesHigh vectors, in one
// instruction.
#define PLAINTIES(n) \
	MOVL n, R9 \
	ANDL $1, R9 \
	SHLL $6, R9 \
	VMOVDQU64 OP_TIESHIGH_A(AX)(R9*1), Z20 \
	VMOVDQU64 OP_TIESHIGH_B(AX)(R9*1), Z21

#define FRONTLOADS \
	VPSHRDQ $62, (SI)(R10*8), Z20, Z0 \
	VPSHRDQ $62, 64(SI)(R10*8), Z20, Z1 \
	VPSHRDQ $62, (DI)(R11*8), Z21, Z2 \
	VPSHRDQ $62, 64(DI)(R11*8), Z21, Z3

#define BACKLOADS \
	VPSHRDQ $62, -128(SI)(R13*8), Z20, Z0 \
	VPSHRDQ $62, -64(SI)(R13*8), Z20, Z1 \
	VPSHRDQ $62, -128(DI)(R15*8), Z21, Z2 \
	VPSHRDQ $62, -64(DI)(R15*8), Z21, Z3

// func mergePointsVBMI2(m *pointMerge)
TEXT ·mergePointsVBMI2(SB), NOSPLIT, $0-8
#include "pointmerge_avx512_body.h"

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
