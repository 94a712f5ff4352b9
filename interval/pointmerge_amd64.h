// What the endpoint merges of pointmerge_amd64.s (AVX-512) and
// pointmerge_avx2_amd64.s (AVX2) share: the layouts of pointMerge and
// pointOp (pinned by TestPointMergeLayout), and how they take up and leave
// the merge state. Both keep SI, DI the endpoints of a and b; R10, R11 the
// endpoints merged from the front; R13, R15 the ends of what is left; R12
// the front output, CX the back output; AX the pointOp; BX the pointMerge.

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
#define M_LEFT 96

// pointOp field offsets: ties by parity, a's then b's, the emit table, ties
// plus the AVX2 merge's bias, the keep bits, and ties in the top bits.
#define OP_TIES_A 0
#define OP_TIES_B 128
#define OP_EMIT 256
#define OP_BIASED_A 1280
#define OP_BIASED_B 1344
#define OP_KEEP 1408
#define OP_TIESHIGH_A 1472
#define OP_TIESHIGH_B 1600

// ENTER loads the merge state of the argument m into the registers.
#define ENTER \
	MOVQ m+0(FP), BX \
	MOVQ M_A(BX), SI \
	MOVQ M_B(BX), DI \
	MOVQ M_OP(BX), AX \
	MOVQ M_I(BX), R10 \
	MOVQ M_J(BX), R11 \
	MOVQ M_NA(BX), R13 \
	MOVQ M_NB(BX), R15 \
	MOVQ M_OUT(BX), R12 \
	MOVQ M_W(BX), DX \
	LEAQ (R12)(DX*8), R12 \
	MOVQ M_OUT(BX), CX \
	MOVQ M_LIM(BX), DX \
	SUBQ M_W2(BX), DX \
	LEAQ (CX)(DX*8), CX

// LEAVE stores the registers back into the merge state and returns.
#define LEAVE \
	MOVQ R10, M_I(BX) \
	MOVQ R11, M_J(BX) \
	MOVQ R13, M_NA(BX) \
	MOVQ R15, M_NB(BX) \
	MOVQ M_OUT(BX), DX \
	SUBQ DX, R12 \
	SHRQ $3, R12 \
	MOVQ R12, M_W(BX) \
	MOVQ M_LIM(BX), R12 \
	LEAQ (DX)(R12*8), DX \
	SUBQ CX, DX \
	SHRQ $3, DX \
	MOVQ DX, M_W2(BX) \
	VZEROUPPER \
	RET
