//go:build amd64 && !purego

#include "textflag.h"

// The endpoint merge of pointmerge.go with AVX2, for processors without
// AVX-512: the design of pointmerge_amd64.s in vectors of four.
//
// A step from the front loads the next eight endpoints of a and of b and
// encodes them. The eight smallest of the sixteen are the lane-wise minimum
// of a's and b's reversed (AVX2 has no 64-bit minimum: a compare and a
// blend), and the lanes where b's is the smaller count those from b; the
// minimum is a bitonic sequence, which three compare-exchange stages sort.
// Those whose tie bit is their lane's keep bit flip the status (see
// pointmerge.go); they are decoded, compressed by a permutation from a
// table and stored. A step from the
// back takes the eight largest the same way and stores them below what it
// stored before; the two lanes overlap their latency chains. Unlike the
// AVX-512 merge, a step stores at once: holding its stores for a step
// gains nothing measurable here (page-aligned inputs and output run within
// 10% of others).
//
// Stores write whole vectors: the front's spill past its endpoints, which
// the next step overwrites, the back's below its endpoints likewise, so
// while the front and back outputs are at least 64 bytes apart both lanes
// store without masks; closer, the endpoints are stored one at a time, or
// the merge stops with m.full when they do not fit.
//
// Near the ends, the loads are padded: the lanes outside what is left of
// an input are filled with +infinity (from the front) or -infinity (from
// the back), which are never taken while at least eight endpoints are left
// for each lane, as long as the endpoints fit the encoding. Once fewer than
// eight endpoints of an input are left, they are copied into the
// function's frame (TAIL_A, TAIL_B) with room either side, and the input's base
// register points at the copy, so that every window a step loads lies in
// memory the merge owns: no load leaves the inputs, and none relies on a
// mask to avoid a fault (VPMASKMOVQ would not do: AMD leaves open whether
// it faults on the lanes it skips). Unnormalised inputs may hold endpoints
// that do not fit the encoding (appendPoints checks only the first and the
// last); a lane may then take a padding lane and overrun the other, which
// appendPoints detects and answers by declining, but every load stays in
// the inputs or the copies and every store in the room. When fewer than
// sixteen are left, steps run from the front only, and the last one takes
// what is left, dropping the +infinity lanes it sorted last.
//
// Registers: SI, DI the endpoints of a and b (or, rebased, their copies);
// R10, R11 the endpoints merged from the front; R13, R15 the ends of what
// is left; R12 the front output, CX the back output; AX the pointOp; BX the
// pointMerge; R14 the tables below; DX, R8, R9 scratch. Y12, Y13 hold the
// encoding's bits plus the bias, Y14 the bias the decoding subtracts; X15
// carries the endpoints copied or stored one at a time.

#include "pointmerge_amd64.h"

// The function's frame (not zeroed, unlike a Go variable of the same size,
// which would cost the AVX-512 merge's caller 8% at 100 + 100 intervals):
// the copies of what is left of a and of b, 40 endpoints each, rebased to
// their 16th, and room for a step's endpoints stored one at a time.
#define TAIL_A 128(SP)
#define TAIL_B 448(SP)
#define SCRATCH 640

// avx2tab offsets: permutations that compress the lanes a 4-bit mask
// marks to the bottom and to the top of a vector, lane masks (a window
// of eight into eight set lanes then eight clear, and the reverse), and
// constants.
#define T_LOW 0
#define T_HIGH 512
#define T_FIRST 1024
#define T_LAST 1152
#define T_BIAS 1280
#define T_PLUSINF 1288
#define T_MINUSINF 1296

// TIES loads the encoding's bits for four endpoints from index n, plus the
// bias, into Y12 (a) and Y13 (b).
#define TIES(n) \
	MOVL n, R9 \
	ANDL $1, R9 \
	SHLL $5, R9 \
	VMOVDQU OP_BIASED_A(AX)(R9*1), Y12 \
	VMOVDQU OP_BIASED_B(AX)(R9*1), Y13

// ENCODE loads the four endpoints at mem into y, encoded as v<<2 plus
// ties: the bias makes every encoding non-negative (and below +infinity),
// so that decoding is a logical shift and a subtraction.
#define ENCODE(mem, ties, y) \
	VPSLLQ $2, mem, y \
	VPADDQ ties, y, y

// PAD encodes y with ties and fills the lanes that mask leaves from Y8.
#define PAD(mask, ties, y) \
	VPSLLQ $2, y, y \
	VPADDQ ties, y, y \
	VBLENDVPD mask, y, Y8, y

// REBASE copies what is left of an input (base, from index idx to end)
// into tail from its 16th endpoint, once fewer than eight are left, and
// points base at the copy, so that from then on every window a step loads
// lies in tail: windows reach at most eight endpoints either side of what
// is left, and what is left can only shrink. orig is the input's address;
// base differs from it once copied. l1-l3 name its labels.
#define REBASE(base, orig, idx, end, tail, l1, l2, l3) \
	CMPQ base, orig \
	JNE l3 \
	MOVQ end, DX \
	SUBQ idx, DX \
	CMPQ DX, $8 \
	JGE l3 \
	LEAQ (base)(idx*8), R8 \
	LEAQ tail, R9 \
l1: \
	TESTQ DX, DX \
	JLE l2 \
	MOVQ (R8), X15 \
	MOVQ X15, (R9) \
	ADDQ $8, R8 \
	ADDQ $8, R9 \
	DECQ DX \
	JMP l1 \
l2: \
	MOVQ idx, DX \
	SHLQ $3, DX \
	LEAQ tail, base \
	SUBQ DX, base \
l3:

// FRONTLOADS encodes the next eight endpoints of a into Y0, Y1 and of b
// into Y2, Y3; BACKLOADS the last eight before the ends.
#define FRONTLOADS \
	ENCODE((SI)(R10*8), Y12, Y0) \
	ENCODE(32(SI)(R10*8), Y12, Y1) \
	ENCODE((DI)(R11*8), Y13, Y2) \
	ENCODE(32(DI)(R11*8), Y13, Y3)

#define BACKLOADS \
	ENCODE(-64(SI)(R13*8), Y12, Y0) \
	ENCODE(-32(SI)(R13*8), Y12, Y1) \
	ENCODE(-64(DI)(R15*8), Y13, Y2) \
	ENCODE(-32(DI)(R15*8), Y13, Y3)

// The MASKED forms load the same windows, with the inputs rebased where
// fewer than eight endpoints are left, and fill the lanes outside what is
// left with padding: the lanes Y4, Y5 (a) and Y6, Y7 (b) select.
#define FRONTMASKEDLOADS \
	VPBROADCASTQ T_PLUSINF(R14), Y8 \
	VMOVDQU (SI)(R10*8), Y0 \
	VMOVDQU 32(SI)(R10*8), Y1 \
	VMOVDQU (DI)(R11*8), Y2 \
	VMOVDQU 32(DI)(R11*8), Y3 \
	PADALL

#define BACKMASKEDLOADS \
	VPBROADCASTQ T_MINUSINF(R14), Y8 \
	VMOVDQU -64(SI)(R13*8), Y0 \
	VMOVDQU -32(SI)(R13*8), Y1 \
	VMOVDQU -64(DI)(R15*8), Y2 \
	VMOVDQU -32(DI)(R15*8), Y3 \
	PADALL

#define PADALL \
	PAD(Y4, Y12, Y0) \
	PAD(Y5, Y12, Y1) \
	PAD(Y6, Y13, Y2) \
	PAD(Y7, Y13, Y3)

// CLAMP8 clamps r into [0, 8], using DX: what is left of an input may be
// zero, or negative when an unnormalised input made a lane overrun.
#define CLAMP8(r) \
	MOVL $8, DX \
	CMPQ r, DX \
	CMOVQGT DX, r \
	XORL DX, DX \
	CMPQ r, DX \
	CMOVQLT DX, r

// FRONTMASKS sets Y4, Y5 (a) and Y6, Y7 (b) to the lanes of a step from
// the front that lie before the ends, from R8 = what is left of a, R9 =
// of b.
#define FRONTMASKS \
	CLAMP8(R8) \
	CLAMP8(R9) \
	NEGQ R8 \
	ADDQ $8, R8 \
	NEGQ R9 \
	ADDQ $8, R9 \
	VMOVDQU T_FIRST(R14)(R8*8), Y4 \
	VMOVDQU T_FIRST+32(R14)(R8*8), Y5 \
	VMOVDQU T_FIRST(R14)(R9*8), Y6 \
	VMOVDQU T_FIRST+32(R14)(R9*8), Y7

// BACKMASKS sets Y4-Y7 to the lanes of a step from the back that lie at or
// after the front, from R8 = what is left of a, R9 = of b.
#define BACKMASKS \
	CLAMP8(R8) \
	CLAMP8(R9) \
	VMOVDQU T_LAST(R14)(R8*8), Y4 \
	VMOVDQU T_LAST+32(R14)(R8*8), Y5 \
	VMOVDQU T_LAST(R14)(R9*8), Y6 \
	VMOVDQU T_LAST+32(R14)(R9*8), Y7

// LEFT sets R8 and R9 to what is left of a and of b.
#define LEFT \
	MOVQ R13, R8 \
	SUBQ R10, R8 \
	MOVQ R15, R9 \
	SUBQ R11, R9

// SPLITFRONT takes the eight smallest of the encoded Y0-Y3 into Y8, Y9 and
// their count from b into DX.
#define SPLITFRONT \
	VPERMQ $0x1b, Y3, Y4 \
	VPERMQ $0x1b, Y2, Y5 \
	VPCMPGTQ Y4, Y0, Y6 \
	VPCMPGTQ Y5, Y1, Y7 \
	VBLENDVPD Y6, Y4, Y0, Y8 \
	VBLENDVPD Y7, Y5, Y1, Y9 \
	COUNT8

// SPLITBACK takes the eight largest into Y8, Y9 and their count from a
// into DX.
#define SPLITBACK \
	VPERMQ $0x1b, Y3, Y4 \
	VPERMQ $0x1b, Y2, Y5 \
	VPCMPGTQ Y4, Y0, Y6 \
	VPCMPGTQ Y5, Y1, Y7 \
	VBLENDVPD Y6, Y0, Y4, Y8 \
	VBLENDVPD Y7, Y1, Y5, Y9 \
	COUNT8

// COUNT8 sets DX to the number of lanes set in Y6 and Y7.
#define COUNT8 \
	VMOVMSKPD Y6, DX \
	VMOVMSKPD Y7, R8 \
	POPCNTL DX, DX \
	POPCNTL R8, R8 \
	ADDL R8, DX

// CMPX is a compare-exchange stage: the lane-wise minimum of x and y into
// lo, the maximum into hi.
#define CMPX(x, y, lo, hi) \
	VPCMPGTQ y, x, Y6 \
	VBLENDVPD Y6, y, x, lo \
	VBLENDVPD Y6, x, y, hi

// SORT8 sorts the bitonic eight of Y8 (first four) and Y9 into Y10 and
// Y11. The second and third stages pair the lanes of two vectors shuffled
// together, so that one compare-exchange serves all eight; the last
// shuffles put the lanes back in order.
#define SORT8 \
	CMPX(Y8, Y9, Y10, Y11) \
	VPERM2I128 $0x20, Y11, Y10, Y8 \
	VPERM2I128 $0x31, Y11, Y10, Y9 \
	CMPX(Y8, Y9, Y10, Y11) \
	VPUNPCKLQDQ Y11, Y10, Y8 \
	VPUNPCKHQDQ Y11, Y10, Y9 \
	CMPX(Y8, Y9, Y10, Y11) \
	VPUNPCKLQDQ Y11, Y10, Y8 \
	VPUNPCKHQDQ Y11, Y10, Y9 \
	VPERM2I128 $0x20, Y9, Y8, Y10 \
	VPERM2I128 $0x31, Y9, Y8, Y11

// KEEP8 sets DX to the emit table's entry for the endpoints of the sorted
// Y10, Y11 that flip the status: those whose tie bit (bit 1, which the bias
// leaves alone) is their lane's keep bit.
#define KEEP8 \
	VPXOR OP_KEEP(AX), Y10, Y6 \
	VPXOR OP_KEEP(AX), Y11, Y7 \
	VPSLLQ $62, Y6, Y6 \
	VPSLLQ $62, Y7, Y7 \
	VMOVMSKPD Y6, DX \
	VMOVMSKPD Y7, R8 \
	SHLL $4, R8 \
	ORL R8, DX \
	XORL $0xff, DX \
	MOVL OP_EMIT(AX)(DX*4), DX

// DECODE turns the encoded Y10, Y11 back into instants: a logical shift,
// less the bias shifted likewise (Y14).
#define DECODE \
	VPSRLQ $2, Y10, Y10 \
	VPSRLQ $2, Y11, Y11 \
	VPSUBQ Y14, Y10, Y10 \
	VPSUBQ Y14, Y11, Y11

// COMPRESS moves the lanes of Y10 and Y11 that the flips of entry DX mark
// to the bottom (table T_LOW) or top (T_HIGH) of each, and sets R8 to the
// count of Y10's, for the front, or of Y11's, for the back, and DX to the
// total.
#define COMPRESS(table, shift) \
	MOVL DX, R8 \
	ANDL $0xf, R8 \
	SHLL $5, R8 \
	VMOVDQU table(R14)(R8*1), Y6 \
	MOVL DX, R9 \
	SHRL $4, R9 \
	ANDL $0xf, R9 \
	SHLL $5, R9 \
	VMOVDQU table(R14)(R9*1), Y7 \
	VPERMD Y10, Y6, Y10 \
	VPERMD Y11, Y7, Y11 \
	MOVL DX, R8 \
	SHRL $shift, R8 \
	ANDL $0xf, R8 \
	POPCNTL R8, R8 \
	SHRL $16, DX

// FRONTSTEP is a step from the front on the encoded Y0-Y3, up to the store.
#define FRONTSTEP \
	SPLITFRONT \
	ADDQ DX, R11 \
	SUBQ DX, R10 \
	ADDQ $8, R10 \
	SORT8 \
	KEEP8 \
	DECODE \
	COMPRESS(T_LOW, 0)

// BACKSTEP is a step from the back. The eight it takes start at an even
// index of the merge, as the front's do, so the same keep bits serve.
#define BACKSTEP \
	SPLITBACK \
	SUBQ DX, R13 \
	ADDQ DX, R15 \
	SUBQ $8, R15 \
	SORT8 \
	KEEP8 \
	DECODE \
	COMPRESS(T_HIGH, 4)

// FRONTSTORE stores the compressed Y10, Y11 at R12 (R8 of Y10's, DX in
// all) and advances R12, with whole vectors when the outputs are 64 bytes
// apart, else at close.
#define FRONTSTORE(close) \
	MOVQ CX, R9 \
	SUBQ R12, R9 \
	CMPQ R9, $64 \
	JLT close \
	VMOVDQU Y10, (R12) \
	VMOVDQU Y11, (R12)(R8*8) \
	LEAQ (R12)(DX*8), R12

// BACKSTORE stores the compressed Y10, Y11 below CX (R8 of Y11's, DX in
// all) and lowers CX likewise.
#define BACKSTORE(close) \
	MOVQ CX, R9 \
	SUBQ R12, R9 \
	CMPQ R9, $64 \
	JLT close \
	VMOVDQU Y11, -32(CX) \
	SHLQ $3, R8 \
	NEGQ R8 \
	VMOVDQU Y10, -32(CX)(R8*1) \
	SHLQ $3, DX \
	SUBQ DX, CX

// FRONTCLOSESTORE is FRONTSTORE's path where the outputs are close, with
// R9 the bytes between them: it stores exactly the endpoints, one at a
// time from SCRATCH, or jumps to full. l1-l4 name its labels.
#define FRONTCLOSESTORE(l1, l2, l3, l4) \
	SHLQ $3, DX \
	CMPQ DX, R9 \
	JHI full \
	SHRQ $3, DX \
	VMOVDQU Y10, SCRATCH(SP) \
	VMOVDQU Y11, SCRATCH+32(SP) \
	XORL R9, R9 \
l1: \
	CMPQ R9, R8 \
	JGE l2 \
	MOVQ SCRATCH(SP)(R9*8), X15 \
	MOVQ X15, (R12)(R9*8) \
	INCQ R9 \
	JMP l1 \
l2: \
	LEAQ (R12)(R8*8), R12 \
	SUBQ R8, DX \
	XORL R9, R9 \
l3: \
	CMPQ R9, DX \
	JGE l4 \
	MOVQ SCRATCH+32(SP)(R9*8), X15 \
	MOVQ X15, (R12)(R9*8) \
	INCQ R9 \
	JMP l3 \
l4: \
	LEAQ (R12)(DX*8), R12

// BACKCLOSESTORE is BACKSTORE's: the endpoints, compressed to the top of
// each vector, go below CX, Y11's last.
#define BACKCLOSESTORE(l1, l2, l3, l4) \
	SHLQ $3, DX \
	CMPQ DX, R9 \
	JHI full \
	SHRQ $3, DX \
	VMOVDQU Y10, SCRATCH(SP) \
	VMOVDQU Y11, SCRATCH+32(SP) \
	SUBQ R8, DX \
	MOVQ R8, R9 \
	NEGQ R9 \
l1: \
	TESTQ R9, R9 \
	JGE l2 \
	MOVQ SCRATCH+64(SP)(R9*8), X15 \
	MOVQ X15, (CX)(R9*8) \
	INCQ R9 \
	JMP l1 \
l2: \
	SHLQ $3, R8 \
	SUBQ R8, CX \
	MOVQ DX, R9 \
	NEGQ R9 \
l3: \
	TESTQ R9, R9 \
	JGE l4 \
	MOVQ SCRATCH+32(SP)(R9*8), X15 \
	MOVQ X15, (CX)(R9*8) \
	INCQ R9 \
	JMP l3 \
l4: \
	SHLQ $3, DX \
	SUBQ DX, CX

// func mergePointsAVX2(m *pointMerge)
TEXT ·mergePointsAVX2(SB), $704-8
	ENTER
	LEAQ avx2tab<>(SB), R14
	VPBROADCASTQ T_BIAS(R14), Y14

lanes:
	// Eight endpoints of each input left: two lanes, plain loads.
	LEFT
	CMPQ R8, $8
	JLT maskedlanes
	CMPQ R9, $8
	JLT maskedlanes
	TIES(R10)
	FRONTLOADS
	FRONTSTEP
	FRONTSTORE(lanesfrontclose)
lanesback:
	TIES(R13)
	BACKLOADS
	BACKSTEP
	BACKSTORE(lanesbackclose)
	JMP lanes

lanesfrontclose:
	FRONTCLOSESTORE(lf1, lf2, lf3, lf4)
	JMP lanesback

lanesbackclose:
	BACKCLOSESTORE(lb1, lb2, lb3, lb4)
	JMP lanes

maskedlanes:
	// Sixteen endpoints left, fewer than eight of one input: two lanes,
	// loads from the inputs rebased once fewer than eight are left, padded.
	REBASE(SI, M_A(BX), R10, R13, TAIL_A, rma1, rma2, rma3)
	REBASE(DI, M_B(BX), R11, R15, TAIL_B, rmb1, rmb2, rmb3)
	LEFT
	TESTQ R8, R8
	JLE done
	TESTQ R9, R9
	JLE done
	LEAQ (R8)(R9*1), DX
	CMPQ DX, $16
	JLT front
	FRONTMASKS
	TIES(R10)
	FRONTMASKEDLOADS
	FRONTSTEP
	FRONTSTORE(maskedfrontclose)
maskedback:
	REBASE(SI, M_A(BX), R10, R13, TAIL_A, rba1, rba2, rba3)
	REBASE(DI, M_B(BX), R11, R15, TAIL_B, rbb1, rbb2, rbb3)
	LEFT
	BACKMASKS
	TIES(R13)
	BACKMASKEDLOADS
	BACKSTEP
	BACKSTORE(maskedbackclose)
	JMP maskedlanes

maskedfrontclose:
	FRONTCLOSESTORE(mf1, mf2, mf3, mf4)
	JMP maskedback

maskedbackclose:
	BACKCLOSESTORE(mb1, mb2, mb3, mb4)
	JMP maskedlanes

front:
	// Fewer than sixteen left: steps from the front of up to eight, while
	// both inputs last.
	REBASE(SI, M_A(BX), R10, R13, TAIL_A, rfa1, rfa2, rfa3)
	REBASE(DI, M_B(BX), R11, R15, TAIL_B, rfb1, rfb2, rfb3)
	LEFT
	TESTQ R8, R8
	JLE done
	TESTQ R9, R9
	JLE done
	LEAQ (R8)(R9*1), DX
	CMPQ DX, $8
	JLT last
	FRONTMASKS
	TIES(R10)
	FRONTMASKEDLOADS
	FRONTSTEP
	FRONTSTORE(frontclose)
	JMP front

frontclose:
	FRONTCLOSESTORE(ff1, ff2, ff3, ff4)
	JMP front

last:
	// Fewer than eight left: one step takes them all, and the lanes after
	// them, +infinity, must not flip.
	FRONTMASKS
	TIES(R10)
	FRONTMASKEDLOADS
	SPLITFRONT
	SORT8
	KEEP8
	// Keep the flips of the first n lanes, n being what was left.
	LEFT
	ADDQ R9, R8
	MOVL $0xff, R9
	BZHIL R8, R9, R9
	ANDL R9, DX
	ANDL $0xff, DX
	MOVL OP_EMIT(AX)(DX*4), DX
	MOVQ R13, R10
	MOVQ R15, R11
	DECODE
	COMPRESS(T_LOW, 0)
	FRONTSTORE(lastclose)
	JMP done

lastclose:
	FRONTCLOSESTORE(ll1, ll2, ll3, ll4)
	JMP done

full:
	MOVQ $1, M_FULL(BX)

done:
	LEAVE

DATA avx2tab<>+0(SB)/4, $0
DATA avx2tab<>+4(SB)/4, $1
DATA avx2tab<>+8(SB)/4, $0
DATA avx2tab<>+12(SB)/4, $1
DATA avx2tab<>+16(SB)/4, $0
DATA avx2tab<>+20(SB)/4, $1
DATA avx2tab<>+24(SB)/4, $0
DATA avx2tab<>+28(SB)/4, $1
DATA avx2tab<>+32(SB)/4, $0
DATA avx2tab<>+36(SB)/4, $1
DATA avx2tab<>+40(SB)/4, $0
DATA avx2tab<>+44(SB)/4, $1
DATA avx2tab<>+48(SB)/4, $0
DATA avx2tab<>+52(SB)/4, $1
DATA avx2tab<>+56(SB)/4, $0
DATA avx2tab<>+60(SB)/4, $1
DATA avx2tab<>+64(SB)/4, $2
DATA avx2tab<>+68(SB)/4, $3
DATA avx2tab<>+72(SB)/4, $0
DATA avx2tab<>+76(SB)/4, $1
DATA avx2tab<>+80(SB)/4, $0
DATA avx2tab<>+84(SB)/4, $1
DATA avx2tab<>+88(SB)/4, $0
DATA avx2tab<>+92(SB)/4, $1
DATA avx2tab<>+96(SB)/4, $0
DATA avx2tab<>+100(SB)/4, $1
DATA avx2tab<>+104(SB)/4, $2
DATA avx2tab<>+108(SB)/4, $3
DATA avx2tab<>+112(SB)/4, $0
DATA avx2tab<>+116(SB)/4, $1
DATA avx2tab<>+120(SB)/4, $0
DATA avx2tab<>+124(SB)/4, $1
DATA avx2tab<>+128(SB)/4, $4
DATA avx2tab<>+132(SB)/4, $5
DATA avx2tab<>+136(SB)/4, $0
DATA avx2tab<>+140(SB)/4, $1
DATA avx2tab<>+144(SB)/4, $0
DATA avx2tab<>+148(SB)/4, $1
DATA avx2tab<>+152(SB)/4, $0
DATA avx2tab<>+156(SB)/4, $1
DATA avx2tab<>+160(SB)/4, $0
DATA avx2tab<>+164(SB)/4, $1
DATA avx2tab<>+168(SB)/4, $4
DATA avx2tab<>+172(SB)/4, $5
DATA avx2tab<>+176(SB)/4, $0
DATA avx2tab<>+180(SB)/4, $1
DATA avx2tab<>+184(SB)/4, $0
DATA avx2tab<>+188(SB)/4, $1
DATA avx2tab<>+192(SB)/4, $2
DATA avx2tab<>+196(SB)/4, $3
DATA avx2tab<>+200(SB)/4, $4
DATA avx2tab<>+204(SB)/4, $5
DATA avx2tab<>+208(SB)/4, $0
DATA avx2tab<>+212(SB)/4, $1
DATA avx2tab<>+216(SB)/4, $0
DATA avx2tab<>+220(SB)/4, $1
DATA avx2tab<>+224(SB)/4, $0
DATA avx2tab<>+228(SB)/4, $1
DATA avx2tab<>+232(SB)/4, $2
DATA avx2tab<>+236(SB)/4, $3
DATA avx2tab<>+240(SB)/4, $4
DATA avx2tab<>+244(SB)/4, $5
DATA avx2tab<>+248(SB)/4, $0
DATA avx2tab<>+252(SB)/4, $1
DATA avx2tab<>+256(SB)/4, $6
DATA avx2tab<>+260(SB)/4, $7
DATA avx2tab<>+264(SB)/4, $0
DATA avx2tab<>+268(SB)/4, $1
DATA avx2tab<>+272(SB)/4, $0
DATA avx2tab<>+276(SB)/4, $1
DATA avx2tab<>+280(SB)/4, $0
DATA avx2tab<>+284(SB)/4, $1
DATA avx2tab<>+288(SB)/4, $0
DATA avx2tab<>+292(SB)/4, $1
DATA avx2tab<>+296(SB)/4, $6
DATA avx2tab<>+300(SB)/4, $7
DATA avx2tab<>+304(SB)/4, $0
DATA avx2tab<>+308(SB)/4, $1
DATA avx2tab<>+312(SB)/4, $0
DATA avx2tab<>+316(SB)/4, $1
DATA avx2tab<>+320(SB)/4, $2
DATA avx2tab<>+324(SB)/4, $3
DATA avx2tab<>+328(SB)/4, $6
DATA avx2tab<>+332(SB)/4, $7
DATA avx2tab<>+336(SB)/4, $0
DATA avx2tab<>+340(SB)/4, $1
DATA avx2tab<>+344(SB)/4, $0
DATA avx2tab<>+348(SB)/4, $1
DATA avx2tab<>+352(SB)/4, $0
DATA avx2tab<>+356(SB)/4, $1
DATA avx2tab<>+360(SB)/4, $2
DATA avx2tab<>+364(SB)/4, $3
DATA avx2tab<>+368(SB)/4, $6
DATA avx2tab<>+372(SB)/4, $7
DATA avx2tab<>+376(SB)/4, $0
DATA avx2tab<>+380(SB)/4, $1
DATA avx2tab<>+384(SB)/4, $4
DATA avx2tab<>+388(SB)/4, $5
DATA avx2tab<>+392(SB)/4, $6
DATA avx2tab<>+396(SB)/4, $7
DATA avx2tab<>+400(SB)/4, $0
DATA avx2tab<>+404(SB)/4, $1
DATA avx2tab<>+408(SB)/4, $0
DATA avx2tab<>+412(SB)/4, $1
DATA avx2tab<>+416(SB)/4, $0
DATA avx2tab<>+420(SB)/4, $1
DATA avx2tab<>+424(SB)/4, $4
DATA avx2tab<>+428(SB)/4, $5
DATA avx2tab<>+432(SB)/4, $6
DATA avx2tab<>+436(SB)/4, $7
DATA avx2tab<>+440(SB)/4, $0
DATA avx2tab<>+444(SB)/4, $1
DATA avx2tab<>+448(SB)/4, $2
DATA avx2tab<>+452(SB)/4, $3
DATA avx2tab<>+456(SB)/4, $4
DATA avx2tab<>+460(SB)/4, $5
DATA avx2tab<>+464(SB)/4, $6
DATA avx2tab<>+468(SB)/4, $7
DATA avx2tab<>+472(SB)/4, $0
DATA avx2tab<>+476(SB)/4, $1
DATA avx2tab<>+480(SB)/4, $0
DATA avx2tab<>+484(SB)/4, $1
DATA avx2tab<>+488(SB)/4, $2
DATA avx2tab<>+492(SB)/4, $3
DATA avx2tab<>+496(SB)/4, $4
DATA avx2tab<>+500(SB)/4, $5
DATA avx2tab<>+504(SB)/4, $6
DATA avx2tab<>+508(SB)/4, $7
DATA avx2tab<>+512(SB)/4, $0
DATA avx2tab<>+516(SB)/4, $1
DATA avx2tab<>+520(SB)/4, $0
DATA avx2tab<>+524(SB)/4, $1
DATA avx2tab<>+528(SB)/4, $0
DATA avx2tab<>+532(SB)/4, $1
DATA avx2tab<>+536(SB)/4, $0
DATA avx2tab<>+540(SB)/4, $1
DATA avx2tab<>+544(SB)/4, $0
DATA avx2tab<>+548(SB)/4, $1
DATA avx2tab<>+552(SB)/4, $0
DATA avx2tab<>+556(SB)/4, $1
DATA avx2tab<>+560(SB)/4, $0
DATA avx2tab<>+564(SB)/4, $1
DATA avx2tab<>+568(SB)/4, $0
DATA avx2tab<>+572(SB)/4, $1
DATA avx2tab<>+576(SB)/4, $0
DATA avx2tab<>+580(SB)/4, $1
DATA avx2tab<>+584(SB)/4, $0
DATA avx2tab<>+588(SB)/4, $1
DATA avx2tab<>+592(SB)/4, $0
DATA avx2tab<>+596(SB)/4, $1
DATA avx2tab<>+600(SB)/4, $2
DATA avx2tab<>+604(SB)/4, $3
DATA avx2tab<>+608(SB)/4, $0
DATA avx2tab<>+612(SB)/4, $1
DATA avx2tab<>+616(SB)/4, $0
DATA avx2tab<>+620(SB)/4, $1
DATA avx2tab<>+624(SB)/4, $0
DATA avx2tab<>+628(SB)/4, $1
DATA avx2tab<>+632(SB)/4, $2
DATA avx2tab<>+636(SB)/4, $3
DATA avx2tab<>+640(SB)/4, $0
DATA avx2tab<>+644(SB)/4, $1
DATA avx2tab<>+648(SB)/4, $0
DATA avx2tab<>+652(SB)/4, $1
DATA avx2tab<>+656(SB)/4, $0
DATA avx2tab<>+660(SB)/4, $1
DATA avx2tab<>+664(SB)/4, $4
DATA avx2tab<>+668(SB)/4, $5
DATA avx2tab<>+672(SB)/4, $0
DATA avx2tab<>+676(SB)/4, $1
DATA avx2tab<>+680(SB)/4, $0
DATA avx2tab<>+684(SB)/4, $1
DATA avx2tab<>+688(SB)/4, $0
DATA avx2tab<>+692(SB)/4, $1
DATA avx2tab<>+696(SB)/4, $4
DATA avx2tab<>+700(SB)/4, $5
DATA avx2tab<>+704(SB)/4, $0
DATA avx2tab<>+708(SB)/4, $1
DATA avx2tab<>+712(SB)/4, $0
DATA avx2tab<>+716(SB)/4, $1
DATA avx2tab<>+720(SB)/4, $2
DATA avx2tab<>+724(SB)/4, $3
DATA avx2tab<>+728(SB)/4, $4
DATA avx2tab<>+732(SB)/4, $5
DATA avx2tab<>+736(SB)/4, $0
DATA avx2tab<>+740(SB)/4, $1
DATA avx2tab<>+744(SB)/4, $0
DATA avx2tab<>+748(SB)/4, $1
DATA avx2tab<>+752(SB)/4, $2
DATA avx2tab<>+756(SB)/4, $3
DATA avx2tab<>+760(SB)/4, $4
DATA avx2tab<>+764(SB)/4, $5
DATA avx2tab<>+768(SB)/4, $0
DATA avx2tab<>+772(SB)/4, $1
DATA avx2tab<>+776(SB)/4, $0
DATA avx2tab<>+780(SB)/4, $1
DATA avx2tab<>+784(SB)/4, $0
DATA avx2tab<>+788(SB)/4, $1
DATA avx2tab<>+792(SB)/4, $6
DATA avx2tab<>+796(SB)/4, $7
DATA avx2tab<>+800(SB)/4, $0
DATA avx2tab<>+804(SB)/4, $1
DATA avx2tab<>+808(SB)/4, $0
DATA avx2tab<>+812(SB)/4, $1
DATA avx2tab<>+816(SB)/4, $0
DATA avx2tab<>+820(SB)/4, $1
DATA avx2tab<>+824(SB)/4, $6
DATA avx2tab<>+828(SB)/4, $7
DATA avx2tab<>+832(SB)/4, $0
DATA avx2tab<>+836(SB)/4, $1
DATA avx2tab<>+840(SB)/4, $0
DATA avx2tab<>+844(SB)/4, $1
DATA avx2tab<>+848(SB)/4, $2
DATA avx2tab<>+852(SB)/4, $3
DATA avx2tab<>+856(SB)/4, $6
DATA avx2tab<>+860(SB)/4, $7
DATA avx2tab<>+864(SB)/4, $0
DATA avx2tab<>+868(SB)/4, $1
DATA avx2tab<>+872(SB)/4, $0
DATA avx2tab<>+876(SB)/4, $1
DATA avx2tab<>+880(SB)/4, $2
DATA avx2tab<>+884(SB)/4, $3
DATA avx2tab<>+888(SB)/4, $6
DATA avx2tab<>+892(SB)/4, $7
DATA avx2tab<>+896(SB)/4, $0
DATA avx2tab<>+900(SB)/4, $1
DATA avx2tab<>+904(SB)/4, $0
DATA avx2tab<>+908(SB)/4, $1
DATA avx2tab<>+912(SB)/4, $4
DATA avx2tab<>+916(SB)/4, $5
DATA avx2tab<>+920(SB)/4, $6
DATA avx2tab<>+924(SB)/4, $7
DATA avx2tab<>+928(SB)/4, $0
DATA avx2tab<>+932(SB)/4, $1
DATA avx2tab<>+936(SB)/4, $0
DATA avx2tab<>+940(SB)/4, $1
DATA avx2tab<>+944(SB)/4, $4
DATA avx2tab<>+948(SB)/4, $5
DATA avx2tab<>+952(SB)/4, $6
DATA avx2tab<>+956(SB)/4, $7
DATA avx2tab<>+960(SB)/4, $0
DATA avx2tab<>+964(SB)/4, $1
DATA avx2tab<>+968(SB)/4, $2
DATA avx2tab<>+972(SB)/4, $3
DATA avx2tab<>+976(SB)/4, $4
DATA avx2tab<>+980(SB)/4, $5
DATA avx2tab<>+984(SB)/4, $6
DATA avx2tab<>+988(SB)/4, $7
DATA avx2tab<>+992(SB)/4, $0
DATA avx2tab<>+996(SB)/4, $1
DATA avx2tab<>+1000(SB)/4, $2
DATA avx2tab<>+1004(SB)/4, $3
DATA avx2tab<>+1008(SB)/4, $4
DATA avx2tab<>+1012(SB)/4, $5
DATA avx2tab<>+1016(SB)/4, $6
DATA avx2tab<>+1020(SB)/4, $7
DATA avx2tab<>+1024(SB)/8, $-1
DATA avx2tab<>+1032(SB)/8, $-1
DATA avx2tab<>+1040(SB)/8, $-1
DATA avx2tab<>+1048(SB)/8, $-1
DATA avx2tab<>+1056(SB)/8, $-1
DATA avx2tab<>+1064(SB)/8, $-1
DATA avx2tab<>+1072(SB)/8, $-1
DATA avx2tab<>+1080(SB)/8, $-1
DATA avx2tab<>+1088(SB)/8, $0
DATA avx2tab<>+1096(SB)/8, $0
DATA avx2tab<>+1104(SB)/8, $0
DATA avx2tab<>+1112(SB)/8, $0
DATA avx2tab<>+1120(SB)/8, $0
DATA avx2tab<>+1128(SB)/8, $0
DATA avx2tab<>+1136(SB)/8, $0
DATA avx2tab<>+1144(SB)/8, $0
DATA avx2tab<>+1152(SB)/8, $0
DATA avx2tab<>+1160(SB)/8, $0
DATA avx2tab<>+1168(SB)/8, $0
DATA avx2tab<>+1176(SB)/8, $0
DATA avx2tab<>+1184(SB)/8, $0
DATA avx2tab<>+1192(SB)/8, $0
DATA avx2tab<>+1200(SB)/8, $0
DATA avx2tab<>+1208(SB)/8, $0
DATA avx2tab<>+1216(SB)/8, $-1
DATA avx2tab<>+1224(SB)/8, $-1
DATA avx2tab<>+1232(SB)/8, $-1
DATA avx2tab<>+1240(SB)/8, $-1
DATA avx2tab<>+1248(SB)/8, $-1
DATA avx2tab<>+1256(SB)/8, $-1
DATA avx2tab<>+1264(SB)/8, $-1
DATA avx2tab<>+1272(SB)/8, $-1
DATA avx2tab<>+1280(SB)/8, $0x0fffffffffffffff
DATA avx2tab<>+1288(SB)/8, $0x7fffffffffffffff
DATA avx2tab<>+1296(SB)/8, $0x8000000000000000
GLOBL avx2tab<>(SB), RODATA|NOPTR, $1304
