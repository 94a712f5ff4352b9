//go:build amd64 && !purego

#include "textflag.h"

// The endpoint merges of pointmerge.go with AVX-512.
//
// A step from the front loads the next sixteen endpoints of a and of b and
// encodes them. The sixteen smallest of the thirty-two are the lane-wise
// minimum of a's and b's reversed, and the lanes where a's is the smaller
// count those from a; the minimum is a bitonic sequence, which four
// compare-exchange stages sort. The flips table gives which of them flip
// the status; those are decoded, compressed and stored. A step from the back
// takes the sixteen largest the same way with the maximum. The two lanes
// are independent, so the processor overlaps their latency chains (load,
// compare, count, advance), which bound a single lane.
//
// The one-lane loop takes eight at a time, and near the end of an input
// masks its loads, reading the missing lanes as +infinity, which is never
// among the eight smallest while at least eight endpoints remain.
//
// Registers: SI, DI the endpoints of a and b; R10, R11 the endpoints merged
// from the front; R13, R15 the ends of what is left; R12 the front output,
// CX the back output; AX the pointOp; BX the pointMerge. Z31 reverses lanes,
// Z30 holds 1 in each lane, Z27 +infinity. K5, K6, K7 select the upper lanes
// of the sorting stages.

// pointMerge field offsets.
#define M_A 0
#define M_B 8
#define M_NA 16
#define M_NB 24
#define M_I 32
#define M_J 40
#define M_OUT 48
#define M_W 56
#define M_LIM 64
#define M_W2 72
#define M_OP 80
#define M_FULL 88

// pointOp field offsets: ties by source and parity after the flips table.
#define OP_TIES 2048
#define OP_TIES_B 128

// SORT8 sorts the bitonic x into y, using p; x is clobbered.
#define SORT8(x, p, y) \
	VSHUFI64X2 $0x4e, x, x, p \
	VPMINSQ p, x, y \
	VPMAXSQ p, x, K5, y \
	VPERMQ $0x4e, y, p \
	VPMINSQ p, y, x \
	VPMAXSQ p, y, K6, x \
	VPSHUFD $0x4e, x, p \
	VPMINSQ p, x, y \
	VPMAXSQ p, x, K7, y

// TIEOFFSETS sets R9 and R8 to the offsets from OP_TIES of the low bits of
// endpoints of a from index ia and of b from index ib.
#define TIEOFFSETS(ia, ib) \
	MOVL ia, R9 \
	ANDL $1, R9 \
	SHLL $6, R9 \
	MOVL ib, R8 \
	ANDL $1, R8 \
	SHLL $6, R8 \
	ADDL $OP_TIES_B, R8

// FLIPINDEX sets R9 to the flips index bits of i and j: (i&1)<<9 |
// ((i+j)&1)<<8.
#define FLIPINDEX(i, j) \
	MOVL i, R9 \
	ANDL $1, R9 \
	SHLL $9, R9 \
	LEAL (i)(j*1), R14 \
	ANDL $1, R14 \
	SHLL $8, R14 \
	ORL R14, R9

// FLIPS16 looks up the flips of the sorted lo (K1 marks a's) and hi (K2)
// halves from the index bits in R9: R8 and R9 get their entries.
#define FLIPS16 \
	KMOVW K1, R8 \
	ORL R9, R8 \
	MOVWLZX (AX)(R8*2), R8 \
	MOVL R8, R14 \
	SHRL $3, R14 \
	ANDL $0x200, R14 \
	XORL R14, R9 \
	KMOVW K2, R14 \
	ORL R14, R9 \
	MOVWLZX (AX)(R9*2), R9

// EMIT decodes and stores at ptr the endpoints of the sorted z that entry
// marks as flips, and advances ptr past them; t is clobbered.
#define EMIT(z, entry, ptr, t) \
	KMOVW entry, K3 \
	VPCOMPRESSQ z, K3, t \
	VPSRAQ $2, t, t \
	SHRL $8, entry \
	ANDL $15, entry \
	MOVL $-1, DX \
	BZHIL entry, DX, DX \
	KMOVW DX, K4 \
	VMOVDQU64 t, K4, (ptr) \
	LEAQ (ptr)(entry*8), ptr

// COUNT16 sets DX to the number of lanes set in K1 and K2.
#define COUNT16 \
	KUNPCKBW K1, K2, K3 \
	KMOVW K3, DX \
	POPCNTL DX, DX

// FRONT16 is a step of sixteen from the front.
#define FRONT16 \
	TIEOFFSETS(R10, R11) \
	VPSLLQ $2, (SI)(R10*8), Z0 \
	VPSLLQ $2, 64(SI)(R10*8), Z1 \
	VPSLLQ $2, (DI)(R11*8), Z2 \
	VPSLLQ $2, 64(DI)(R11*8), Z3 \
	VPORQ OP_TIES(AX)(R9*1), Z0, Z0 \
	VPORQ OP_TIES(AX)(R9*1), Z1, Z1 \
	VPORQ OP_TIES(AX)(R8*1), Z2, Z2 \
	VPORQ OP_TIES(AX)(R8*1), Z3, Z3 \
	VPERMQ Z3, Z31, Z4 \
	VPERMQ Z2, Z31, Z5 \
	VPCMPQ $1, Z4, Z0, K1 \
	VPCMPQ $1, Z5, Z1, K2 \
	VPMINSQ Z4, Z0, Z6 \
	VPMINSQ Z5, Z1, Z7 \
	COUNT16 \
	FLIPINDEX(R10, R11) \
	ADDQ DX, R10 \
	SUBQ DX, R11 \
	ADDQ $16, R11 \
	VPMINSQ Z7, Z6, Z8 \
	VPMAXSQ Z7, Z6, Z9 \
	SORT8(Z8, Z4, Z6) \
	SORT8(Z9, Z5, Z7) \
	VPTESTNMQ Z30, Z6, K1 \
	VPTESTNMQ Z30, Z7, K2 \
	FLIPS16 \
	EMIT(Z6, R8, R12, Z4) \
	EMIT(Z7, R9, R12, Z5)

// BACK16 is a step of sixteen from the back.
#define BACK16 \
	TIEOFFSETS(R13, R15) \
	VPSLLQ $2, -128(SI)(R13*8), Z10 \
	VPSLLQ $2, -64(SI)(R13*8), Z11 \
	VPSLLQ $2, -128(DI)(R15*8), Z12 \
	VPSLLQ $2, -64(DI)(R15*8), Z13 \
	VPORQ OP_TIES(AX)(R9*1), Z10, Z10 \
	VPORQ OP_TIES(AX)(R9*1), Z11, Z11 \
	VPORQ OP_TIES(AX)(R8*1), Z12, Z12 \
	VPORQ OP_TIES(AX)(R8*1), Z13, Z13 \
	VPERMQ Z13, Z31, Z14 \
	VPERMQ Z12, Z31, Z15 \
	VPCMPQ $6, Z14, Z10, K1 \
	VPCMPQ $6, Z15, Z11, K2 \
	VPMAXSQ Z14, Z10, Z16 \
	VPMAXSQ Z15, Z11, Z17 \
	COUNT16 \
	SUBQ DX, R13 \
	ADDQ DX, R15 \
	SUBQ $16, R15 \
	FLIPINDEX(R13, R15) \
	VPMINSQ Z17, Z16, Z18 \
	VPMAXSQ Z17, Z16, Z19 \
	SORT8(Z18, Z14, Z16) \
	SORT8(Z19, Z15, Z17) \
	VPTESTNMQ Z30, Z16, K1 \
	VPTESTNMQ Z30, Z17, K2 \
	FLIPS16 \
	MOVL R8, R14 \
	SHRL $8, R14 \
	ANDL $15, R14 \
	MOVL R9, DX \
	SHRL $8, DX \
	ANDL $15, DX \
	ADDL DX, R14 \
	SHLQ $3, R14 \
	SUBQ R14, CX \
	MOVQ CX, R14 \
	EMIT(Z16, R8, R14, Z18) \
	EMIT(Z17, R9, R14, Z19)

// CONSTANTS loads the registers every loop reads.
#define CONSTANTS \
	VMOVDQU64 reverse<>(SB), Z31 \
	MOVQ $1, DX \
	VPBROADCASTQ DX, Z30 \
	MOVQ $0x7fffffffffffffff, DX \
	VPBROADCASTQ DX, Z27 \
	MOVL $0xf0, DX \
	KMOVW DX, K5 \
	MOVL $0xcc, DX \
	KMOVW DX, K6 \
	MOVL $0xaa, DX \
	KMOVW DX, K7

// func mergePointsTwoLanes(m *pointMerge)
TEXT ·mergePointsTwoLanes(SB), NOSPLIT, $0-8
	MOVQ m+0(FP), BX
	MOVQ M_A(BX), SI
	MOVQ M_B(BX), DI
	MOVQ M_OP(BX), AX
	MOVQ M_I(BX), R10
	MOVQ M_J(BX), R11
	MOVQ M_NA(BX), R13
	MOVQ M_NB(BX), R15
	MOVQ M_OUT(BX), R12
	MOVQ M_W(BX), DX
	LEAQ (R12)(DX*8), R12
	MOVQ M_OUT(BX), CX
	MOVQ M_LIM(BX), DX
	SUBQ M_W2(BX), DX
	LEAQ (CX)(DX*8), CX
	CONSTANTS

lanes:
	MOVQ R13, DX
	SUBQ R10, DX
	CMPQ DX, $16
	JLT lanesdone
	MOVQ R15, DX
	SUBQ R11, DX
	CMPQ DX, $16
	JLT lanesdone
	FRONT16
	BACK16
	JMP lanes

lanesdone:
	MOVQ R10, M_I(BX)
	MOVQ R11, M_J(BX)
	MOVQ R13, M_NA(BX)
	MOVQ R15, M_NB(BX)
	MOVQ M_OUT(BX), DX
	SUBQ DX, R12
	SHRQ $3, R12
	MOVQ R12, M_W(BX)
	MOVQ M_LIM(BX), R12
	LEAQ (DX)(R12*8), DX
	SUBQ CX, DX
	SHRQ $3, DX
	MOVQ DX, M_W2(BX)
	VZEROUPPER
	RET

// ONE8 is a step of eight of the one-lane loop on the encoded Z0 and Z1:
// it stores the flips at (R12)(R13*8), or jumps to full when they pass
// M_LIM.
#define ONE8 \
	VPERMQ Z1, Z31, Z3 \
	VPCMPQ $1, Z3, Z0, K2 \
	VPMINSQ Z3, Z0, Z4 \
	KMOVW K2, DX \
	POPCNTL DX, DX \
	FLIPINDEX(R10, R11) \
	ADDQ DX, R10 \
	SUBQ DX, R11 \
	ADDQ $8, R11 \
	SORT8(Z4, Z5, Z6) \
	VPTESTNMQ Z30, Z6, K1 \
	KMOVW K1, R8 \
	ORL R9, R8 \
	MOVWLZX (AX)(R8*2), R8 \
	MOVL R8, R14 \
	SHRL $8, R14 \
	ANDL $15, R14 \
	ADDQ R13, R14 \
	CMPQ R14, M_LIM(BX) \
	JGT full \
	LEAQ (R12)(R13*8), R9 \
	MOVQ R14, R13 \
	EMIT(Z6, R8, R9, Z7)

// func mergePointsOneLane(m *pointMerge)
TEXT ·mergePointsOneLane(SB), NOSPLIT, $0-8
	MOVQ m+0(FP), BX
	MOVQ M_A(BX), SI
	MOVQ M_B(BX), DI
	MOVQ M_OP(BX), AX
	MOVQ M_I(BX), R10
	MOVQ M_J(BX), R11
	MOVQ M_OUT(BX), R12
	MOVQ M_W(BX), R13
	CONSTANTS

whole:
	// Eight endpoints of each input left: plain loads.
	LEAQ 8(R10), DX
	CMPQ DX, M_NA(BX)
	JGT masked
	LEAQ 8(R11), DX
	CMPQ DX, M_NB(BX)
	JGT masked
	TIEOFFSETS(R10, R11)
	VPSLLQ $2, (SI)(R10*8), Z0
	VPSLLQ $2, (DI)(R11*8), Z1
	VPORQ OP_TIES(AX)(R9*1), Z0, Z0
	VPORQ OP_TIES(AX)(R8*1), Z1, Z1
	ONE8
	JMP whole

masked:
	// Fewer than eight of an input left: masked loads, while both inputs
	// last and at least eight endpoints remain.
	MOVQ M_NA(BX), DX
	SUBQ R10, DX
	JLE done
	MOVQ M_NB(BX), R8
	SUBQ R11, R8
	JLE done
	LEAQ (DX)(R8*1), R9
	CMPQ R9, $8
	JLT done
	MOVL $8, R9
	CMPQ DX, R9
	CMOVQGT R9, DX
	CMPQ R8, R9
	CMOVQGT R9, R8
	MOVL $0xff, R9
	BZHIL DX, R9, DX
	KMOVW DX, K3
	BZHIL R8, R9, R8
	KMOVW R8, K4
	TIEOFFSETS(R10, R11)
	VMOVDQU64 (SI)(R10*8), K3, Z0
	VMOVDQU64 (DI)(R11*8), K4, Z1
	VPSLLQ $2, Z0, Z0
	VPSLLQ $2, Z1, Z1
	VPORQ OP_TIES(AX)(R9*1), Z0, Z0
	VPORQ OP_TIES(AX)(R8*1), Z1, Z1
	VPBLENDMQ Z0, Z27, K3, Z0
	VPBLENDMQ Z1, Z27, K4, Z1
	ONE8
	JMP masked

full:
	MOVQ $1, M_FULL(BX)

done:
	MOVQ R10, M_I(BX)
	MOVQ R11, M_J(BX)
	MOVQ R13, M_W(BX)
	VZEROUPPER
	RET

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
