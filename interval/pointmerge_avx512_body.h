// The body of the AVX-512 endpoint merges of pointmerge_amd64.s, which
// includes it once for each way of encoding the plain loads: FRONTLOADS and
// BACKLOADS encode into Z0-Z3 the next sixteen endpoints of a and of b from
// the front and the last sixteen before the ends, with the bits that
// PLAINTIES(n) loads into Z20 and Z21 for endpoints from index n.

	ENTER
	VMOVDQU64 reverse<>(SB), Z31
	VMOVDQU64 sortlow<>(SB), Z29
	VMOVDQU64 sorthigh<>(SB), Z28
	MOVQ $2, DX
	VPBROADCASTQ DX, Z30
	VMOVDQU64 OP_KEEP(AX), Z25
	KXORW K5, K5, K5
	KXORW K6, K6, K6
	MOVQ $0x7fffffffffffffff, DX
	VPBROADCASTQ DX, Z27
	MOVQ $0x8000000000000000, DX
	VPBROADCASTQ DX, Z26

lanes:
	// Sixteen endpoints of each input left: two lanes, plain loads. Split
	// the first steps of both lanes; the loop then splits the next ones
	// (into Z10, Z11 and Z22, Z23) before it sorts these.
	MOVQ R13, DX
	SUBQ R10, DX
	CMPQ DX, $16
	JLT maskedlanes
	MOVQ R15, DX
	SUBQ R11, DX
	CMPQ DX, $16
	JLT maskedlanes
	PLAINTIES(R10)
	FRONTLOADS
	FRONTSPLIT
	PLAINTIES(R13)
	BACKLOADS
	BACKSPLIT

pipe:
	MOVQ R13, DX
	SUBQ R10, DX
	CMPQ DX, $16
	JLT drain
	MOVQ R15, DX
	SUBQ R11, DX
	CMPQ DX, $16
	JLT drain
	PLAINTIES(R10)
	FRONTLOADS
	FRONTSPLITTO(Z10, Z11)
	PLAINTIES(R13)
	BACKLOADS
	BACKSPLITTO(Z22, Z23)
	FRONTBODY
	BACKBODY
	VMOVDQA64 Z10, Z14
	VMOVDQA64 Z11, Z15
	VMOVDQA64 Z22, Z16
	VMOVDQA64 Z23, Z17
	JMP pipe

drain:
	// Sort the steps split last.
	FRONTBODY
	BACKBODY

maskedlanes:
	// Thirty-two endpoints left: two lanes, masked loads. Both lanes load
	// from the state before either takes its step, so that they overlap;
	// what is left of a and b waits in M_LEFT for the second.
	MOVQ R13, R8
	SUBQ R10, R8
	JLE flush
	MOVQ R15, R14
	SUBQ R11, R14
	JLE flush
	LEAQ (R8)(R14*1), DX
	CMPQ DX, $16
	JLE flush
	MOVL R8, M_LEFT(BX)
	MOVL R14, M_LEFT+4(BX)
	PASTEND(SI, R10, M_NA(BX), safefronta, risky)
	PASTEND(DI, R11, M_NB(BX), safefrontb, risky)
	BEFORESTART(SI, R13, safebacka, risky)
	BEFORESTART(DI, R15, safebackb, risky)
	LEAQ (R8)(R14*1), DX
	CMPQ DX, $32
	JLT pair
	MASKEDBACK
	BACK
	MASKEDFRONT
	FRONT
	JMP maskedlanes

pair:
	// Seventeen to thirty-one left: the front takes the sixteen smallest,
	// the back at once the rest, keeping the last lanes of its sixteen.
	MASKEDBACK
	SPLIT16(VPMAXSQ, 6, Z6, Z7)
	SORT16
	KEEP16
	MOVL M_LEFT(BX), R8
	MOVL M_LEFT+4(BX), R14
	LEAQ -16(R8)(R14*1), DX
	NEGQ DX
	ADDQ $16, DX
	MOVL $0xffff, R9
	SHLXL DX, R9, R9
	KMOVW R9, K1
	KSHIFTRW $8, K1, K2
	KANDW K1, K3, K3
	KANDW K2, K4, K4
	BACKHELD
	HOLD(Z18, Z19)
	KMOVW K3, K6
	MASKEDFRONT
	FRONT
	MOVQ R13, R10
	MOVQ R15, R11

flush:
	// Store the step the front holds; then, if both inputs are merged, join
	// the outputs, if both last, take what is left, and otherwise store the
	// step the back holds and leave the rest to finishPoints.
	FRONTHELD
	MOVQ R13, R8
	SUBQ R10, R8
	MOVQ R15, R14
	SUBQ R11, R14
	MOVQ R8, DX
	ORQ R14, DX
	JZ join
	TESTQ R8, R8
	JLE flushback
	TESTQ R14, R14
	JG last

flushback:
	BACKHELD
	JMP done

risky:
	// A masked load would touch another page: store both lanes' steps and
	// leave the rest to finishPoints.
	FRONTHELD
	JMP flushback

last:
	// Fewer than sixteen left: one step takes them all, and the lanes
	// after them, +infinity, must not flip.
	PASTEND(SI, R10, M_NA(BX), safelasta, flushback)
	PASTEND(DI, R11, M_NB(BX), safelastb, flushback)
	FRONTMASKS
	TIES(R10)
	FRONTMASKEDLOADS(Z27)
	SPLIT16(VPMINSQ, 1, Z6, Z7)
	SORT16
	KEEP16
	// Keep the flips of the first n lanes, n being what was left.
	MOVQ R13, R14
	SUBQ R10, R14
	ADDQ R15, R14
	SUBQ R11, R14
	MOVL $0xffff, DX
	BZHIL R14, DX, R14
	KMOVW R14, K1
	KSHIFTRW $8, K1, K2
	KANDW K1, K3, K3
	KANDW K2, K4, K4
	MOVQ R13, R10
	MOVQ R15, R11
	HOLD(Z12, Z13)
	KMOVW K3, K5
	FRONTHELD

join:
	// Both inputs are merged: store the step the back holds where the
	// front's output ends, then move what the back stored before it down
	// after that, 64 bytes at a time: the destination is below the source,
	// so each store lands below what is left to load. This saves
	// appendPoints a call of copy, and the loads wait on no recent store.
	KMOVW K6, R8
	POPCNTL R8, R9
	LEAQ (R12)(R9*8), R14
	CMPQ R14, CX
	JHI full
	PUTHELD(K6, Z18, Z19, R12)
	MOVQ R14, R12
	MOVQ M_LIM(BX), DX
	MOVQ M_OUT(BX), R8
	LEAQ (R8)(DX*8), R8
	MOVQ R8, DX
	SUBQ CX, DX

joinloop:
	CMPQ DX, $64
	JLT jointail
	VMOVDQU64 (CX), Z0
	VMOVDQU64 Z0, (R12)
	ADDQ $64, CX
	ADDQ $64, R12
	SUBQ $64, DX
	JMP joinloop

jointail:
	// The last endpoints one at a time: a masked load would reach past the
	// room (see PASTEND).
	TESTQ DX, DX
	JZ joined
	MOVQ (CX), R9
	MOVQ R9, (R12)
	ADDQ $8, CX
	ADDQ $8, R12
	SUBQ $8, DX
	JMP jointail

joined:
	MOVQ R8, CX
	JMP done

full:
	MOVQ $1, M_FULL(BX)

done:
	LEAVE
