/*
 * Convolution and pooling kernels for training on the WASM backend, in WebAssembly SIMD. The module imports the tf.js
 * backend's own linear memory and works on tensors where they lie: every pointer is a byte offset into that
 * heap, every output is allocated by tf.js before the call. The module has no data, no stack and no globals,
 * so it never writes outside the buffers it is handed (the build checks this).
 *
 * Build: `npm run build:kernels` (Debian clang and lld, `--target=wasm32 -msimd128`).
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/*
 * acc + a·b on four lanes. With ATELIER_FMA, one fused multiply-add: relaxed SIMD's f32x4.relaxed_madd(a, b, acc)
 * = a·b + acc. Clang 14 knows only the proposal's prototype of it (opcode 0xaf, operands in the same places);
 * the build rewrites each to the standard opcode. Otherwise a multiply and an add.
 */
#ifdef ATELIER_FMA
#define MADD(acc, a, b) __builtin_wasm_fma_f32x4(a, b, acc)
#else
#define MADD(acc, a, b) wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))
#endif

/*
 * MaxPoolGrad for windows that tile the input (k×k pool, stride k): dy goes to the first cell, in row-major
 * order within its window, equal to the window's max, as TensorFlow picks; every other cell gets 0.
 * Tensors are NHWC; `top`/`left` are the padding before the first row/column (padded cells never win).
 */
EXPORT(max_pool_grad_tiled)
void max_pool_grad_tiled(const float *x, const float *y, const float *dy, float *dx, int n, int h, int w, int c, int out_h,
                         int out_w, int k, int top, int left) {
  __builtin_memset(dx, 0, (unsigned long)n * h * w * c * sizeof(float));
  const int c4 = c & ~3;
  for (int b = 0; b < n; b++) {
    for (int oh = 0; oh < out_h; oh++) {
      const int r0 = oh * k - top < 0 ? 0 : oh * k - top;
      const int r1 = oh * k - top + k > h ? h : oh * k - top + k;
      for (int ow = 0; ow < out_w; ow++) {
        const int c0 = ow * k - left < 0 ? 0 : ow * k - left;
        const int c1 = ow * k - left + k > w ? w : ow * k - left + k;
        const long base = ((long)(b * out_h + oh) * out_w + ow) * c;
        for (int ch = 0; ch < c4; ch += 4) {
          const v128_t max = wasm_v128_load(y + base + ch);
          const v128_t grad = wasm_v128_load(dy + base + ch);
          v128_t taken = wasm_i32x4_splat(0);
          for (int r = r0; r < r1; r++) {
            for (int col = c0; col < c1; col++) {
              const long i = ((long)(b * h + r) * w + col) * c + ch;
              const v128_t hit = wasm_v128_andnot(wasm_f32x4_eq(wasm_v128_load(x + i), max), taken);
              wasm_v128_store(dx + i, wasm_v128_and(grad, hit));
              taken = wasm_v128_or(taken, hit);
            }
          }
        }
        for (int ch = c4; ch < c; ch++) {
          const float max = y[base + ch];
          int found = 0;
          for (int r = r0; r < r1 && !found; r++) {
            for (int col = c0; col < c1; col++) {
              const long i = ((long)(b * h + r) * w + col) * c + ch;
              if (x[i] == max) {
                dx[i] = dy[base + ch];
                found = 1;
                break;
              }
            }
          }
        }
      }
    }
  }
}

/* Shape of one Conv2DBackpropFilter call; filled by the caller in the heap (see conv_filter_grad). */
typedef struct {
  int n, h, w, ci;       /* x: [n, h, w, ci] */
  int out_h, out_w, co;  /* dy: [n, out_h, out_w, co] */
  int fh, fw, sh, sw;    /* filter size and strides */
  int top, left;         /* padding before the first row / column */
} ConvShape;

/* Input channels and output channels (two vectors) of one accumulator tile. */
#define CI_TILE 4
#define CO_TILE 8

/* Output rows per band: a band of dy and the x rows it reads stay in cache while every tile passes over it. */
static int band_rows(const ConvShape *s) {
  const int rows = 128 / (s->out_w > 0 ? s->out_w : 1);
  return rows < 1 ? 1 : rows;
}

/*
 * One tile: dw[r, s, c0..c0+nci, o0..o0+8] += Σ over output rows [oh0, oh1) of image b. `fresh` starts the
 * sums from zero (the first band) instead of from dw. nci is a constant in each inlined copy.
 */
static inline __attribute__((always_inline)) void filter_tile(const ConvShape *s, const float *x, const float *dy,
                                                              float *dw, int b, int oh0, int oh1, int r, int sc,
                                                              int c0, int o0, int nci, int fresh) {
  v128_t acc[CI_TILE][2];
  float *out = dw + ((long)(r * s->fw + sc) * s->ci + c0) * s->co + o0;
  for (int j = 0; j < nci; j++) {
    acc[j][0] = fresh ? wasm_f32x4_splat(0) : wasm_v128_load(out + (long)j * s->co);
    acc[j][1] = fresh ? wasm_f32x4_splat(0) : wasm_v128_load(out + (long)j * s->co + 4);
  }
  /* Output columns whose tap column lands inside the input: 0 <= ow·sw + sc − left < w. */
  int ow0 = s->left - sc > 0 ? (s->left - sc + s->sw - 1) / s->sw : 0;
  int ow1 = (s->w - 1 + s->left - sc) / s->sw + 1;
  if (s->w - 1 + s->left - sc < 0) ow1 = 0;
  if (ow1 > s->out_w) ow1 = s->out_w;
  for (int oh = oh0; oh < oh1; oh++) {
    const int ih = oh * s->sh + r - s->top;
    if (ih < 0 || ih >= s->h) continue;
    const float *xrow = x + ((long)(b * s->h + ih) * s->w) * s->ci + c0 + (long)(sc - s->left) * s->ci;
    const float *dyrow = dy + ((long)(b * s->out_h + oh) * s->out_w) * s->co + o0;
    const long xstep = (long)s->sw * s->ci;
    for (int ow = ow0; ow < ow1; ow++) {
      const float *xp = xrow + ow * xstep;
      const v128_t d0 = wasm_v128_load(dyrow + (long)ow * s->co);
      const v128_t d1 = wasm_v128_load(dyrow + (long)ow * s->co + 4);
      for (int j = 0; j < nci; j++) {
        const v128_t xv = wasm_f32x4_splat(xp[j]);
        acc[j][0] = MADD(acc[j][0], xv, d0);
        acc[j][1] = MADD(acc[j][1], xv, d1);
      }
    }
  }
  for (int j = 0; j < nci; j++) {
    wasm_v128_store(out + (long)j * s->co, acc[j][0]);
    wasm_v128_store(out + (long)j * s->co + 4, acc[j][1]);
  }
}

/*
 * The last output channels when co is not a multiple of CO_TILE: scalar sums kept in dw itself (a local array
 * would need a stack, which this module does not have).
 */
static void filter_tile_tail(const ConvShape *s, const float *x, const float *dy, float *dw, int b, int oh0, int oh1,
                             int r, int sc, int c0, int o0, int nci, int fresh) {
  const int nco = s->co - o0;
  float *out = dw + ((long)(r * s->fw + sc) * s->ci + c0) * s->co + o0;
  if (fresh)
    for (int j = 0; j < nci; j++)
      for (int o = 0; o < nco; o++) out[(long)j * s->co + o] = 0.0f;
  for (int oh = oh0; oh < oh1; oh++) {
    const int ih = oh * s->sh + r - s->top;
    if (ih < 0 || ih >= s->h) continue;
    for (int ow = 0; ow < s->out_w; ow++) {
      const int iw = ow * s->sw + sc - s->left;
      if (iw < 0 || iw >= s->w) continue;
      const float *xp = x + ((long)(b * s->h + ih) * s->w + iw) * s->ci + c0;
      const float *dp = dy + ((long)(b * s->out_h + oh) * s->out_w + ow) * s->co + o0;
      for (int j = 0; j < nci; j++)
        for (int o = 0; o < nco; o++) out[(long)j * s->co + o] += xp[j] * dp[o];
    }
  }
}

/*
 * Conv2DBackpropFilter, NHWC, no dilation: dw[r, s, ci, co] = Σ_{b, oh, ow} x[b, oh·sh + r − top, ow·sw + s − left, ci]
 * · dy[b, oh, ow, co], summed in place over the whole batch (a long reduction no repacked matrix product is
 * needed for). Work is split in units (tap, input-channel tile, output-channel tile), each a disjoint part of
 * dw; this computes units [unit0, unit1).
 */
EXPORT(conv_filter_grad_units)
int conv_filter_grad_units(const ConvShape *s) {
  return s->fh * s->fw * ((s->ci + CI_TILE - 1) / CI_TILE) * ((s->co + CO_TILE - 1) / CO_TILE);
}

static void filter_grad_range(const ConvShape *s, const float *x, const float *dy, float *dw, int unit0, int unit1) {
  const int ci_tiles = (s->ci + CI_TILE - 1) / CI_TILE;
  const int co_tiles = (s->co + CO_TILE - 1) / CO_TILE;
  const int band = band_rows(s);
  for (int b = 0; b < s->n; b++) {
    for (int oh0 = 0; oh0 < s->out_h; oh0 += band) {
      const int oh1 = oh0 + band > s->out_h ? s->out_h : oh0 + band;
      const int fresh = b == 0 && oh0 == 0;
      for (int u = unit0; u < unit1; u++) {
        const int ot = u % co_tiles;
        const int ct = (u / co_tiles) % ci_tiles;
        const int tap = u / (co_tiles * ci_tiles);
        const int r = tap / s->fw, sc = tap % s->fw;
        const int c0 = ct * CI_TILE, o0 = ot * CO_TILE;
        const int nci = s->ci - c0 < CI_TILE ? s->ci - c0 : CI_TILE;
        if (o0 + CO_TILE > s->co) {
          filter_tile_tail(s, x, dy, dw, b, oh0, oh1, r, sc, c0, o0, nci, fresh);
          continue;
        }
        switch (nci) {
          case 4: filter_tile(s, x, dy, dw, b, oh0, oh1, r, sc, c0, o0, 4, fresh); break;
          case 3: filter_tile(s, x, dy, dw, b, oh0, oh1, r, sc, c0, o0, 3, fresh); break;
          case 2: filter_tile(s, x, dy, dw, b, oh0, oh1, r, sc, c0, o0, 2, fresh); break;
          default: filter_tile(s, x, dy, dw, b, oh0, oh1, r, sc, c0, o0, 1, fresh); break;
        }
      }
    }
  }
}

/*
 * The filter gradient, shared between threads: each caller takes the next `chunk` units from the counter at `next`
 * until none are left, so a thread the OS holds back (tf.js's own pool spins for a while after each of its
 * calls) leaves its share to the others instead of making them wait.
 */
EXPORT(conv_filter_grad)
void conv_filter_grad(const ConvShape *s, const float *x, const float *dy, float *dw, int *next, int chunk) {
  const int units = conv_filter_grad_units(s);
  for (;;) {
    const int u0 = __atomic_fetch_add(next, chunk, __ATOMIC_RELAXED);
    if (u0 >= units) break;
    filter_grad_range(s, x, dy, dw, u0, u0 + chunk < units ? u0 + chunk : units);
  }
}

/* Output pixels (along a row) of one forward-convolution tile; its output channels are CO_TILE. */
#define PX_TILE 4

/*
 * y[b, oh, ow0 .. ow0+np, o0 .. o0+CO_TILE] = bias + Σ_{r, s, ci} x[b, oh·sh + r − top, ow·sw + s − left, ci] · w[r, s, ci, o],
 * then max(·, 0) when relu. Taps outside the input count as zeros. np is a constant in each inlined copy.
 */
static inline __attribute__((always_inline)) void conv_tile(const ConvShape *s, const float *x, const float *w,
                                                            const float *bias, float *y, int relu, int b, int oh,
                                                            int ow0, int o0, int np) {
  v128_t acc[PX_TILE][2];
  const v128_t b0 = bias ? wasm_v128_load(bias + o0) : wasm_f32x4_splat(0);
  const v128_t b1 = bias ? wasm_v128_load(bias + o0 + 4) : wasm_f32x4_splat(0);
  for (int k = 0; k < np; k++) {
    acc[k][0] = b0;
    acc[k][1] = b1;
  }
  for (int r = 0; r < s->fh; r++) {
    const int ih = oh * s->sh + r - s->top;
    if (ih < 0 || ih >= s->h) continue;
    const float *xrow = x + (long)(b * s->h + ih) * s->w * s->ci;
    for (int sc = 0; sc < s->fw; sc++) {
      const float *wp = w + (long)(r * s->fw + sc) * s->ci * s->co + o0;
      const int iw0 = ow0 * s->sw + sc - s->left;
      const int iw_last = (ow0 + np - 1) * s->sw + sc - s->left;
      if (iw0 >= 0 && iw_last < s->w) {
        const float *xp = xrow + (long)iw0 * s->ci;
        const long xstep = (long)s->sw * s->ci;
        for (int c = 0; c < s->ci; c++) {
          const v128_t w0 = wasm_v128_load(wp + (long)c * s->co);
          const v128_t w1 = wasm_v128_load(wp + (long)c * s->co + 4);
          for (int k = 0; k < np; k++) {
            const v128_t xv = wasm_f32x4_splat(xp[k * xstep + c]);
            acc[k][0] = MADD(acc[k][0], xv, w0);
            acc[k][1] = MADD(acc[k][1], xv, w1);
          }
        }
      } else {
        for (int k = 0; k < np; k++) {
          const int iw = (ow0 + k) * s->sw + sc - s->left;
          if (iw < 0 || iw >= s->w) continue;
          const float *xp = xrow + (long)iw * s->ci;
          for (int c = 0; c < s->ci; c++) {
            const v128_t xv = wasm_f32x4_splat(xp[c]);
            acc[k][0] = MADD(acc[k][0], xv, wasm_v128_load(wp + (long)c * s->co));
            acc[k][1] = MADD(acc[k][1], xv, wasm_v128_load(wp + (long)c * s->co + 4));
          }
        }
      }
    }
  }
  float *out = y + ((long)(b * s->out_h + oh) * s->out_w + ow0) * s->co + o0;
  const v128_t zero = wasm_f32x4_splat(0);
  for (int k = 0; k < np; k++) {
    wasm_v128_store(out + (long)k * s->co, relu ? wasm_f32x4_max(acc[k][0], zero) : acc[k][0]);
    wasm_v128_store(out + (long)k * s->co + 4, relu ? wasm_f32x4_max(acc[k][1], zero) : acc[k][1]);
  }
}

/* Units of a forward convolution: one output row of one image for one tile of CO_TILE output channels. */
EXPORT(conv_forward_units)
int conv_forward_units(const ConvShape *s) {
  return s->n * s->out_h * (s->co / CO_TILE);
}

/*
 * Conv2D, NHWC, no dilation, co a multiple of CO_TILE: y = x ⊛ w (+ bias, then relu when asked) for units
 * [unit0, unit1). `bias` may be 0 (none).
 */
static void forward_range(const ConvShape *s, const float *x, const float *w, const float *bias, float *y, int relu,
                          int unit0, int unit1) {
  const int co_tiles = s->co / CO_TILE;
  for (int u = unit0; u < unit1; u++) {
    const int o0 = (u % co_tiles) * CO_TILE;
    const int row = u / co_tiles;
    const int b = row / s->out_h, oh = row % s->out_h;
    int ow = 0;
    for (; ow + PX_TILE <= s->out_w; ow += PX_TILE) conv_tile(s, x, w, bias, y, relu, b, oh, ow, o0, PX_TILE);
    switch (s->out_w - ow) {
      case 3: conv_tile(s, x, w, bias, y, relu, b, oh, ow, o0, 3); break;
      case 2: conv_tile(s, x, w, bias, y, relu, b, oh, ow, o0, 2); break;
      case 1: conv_tile(s, x, w, bias, y, relu, b, oh, ow, o0, 1); break;
      default: break;
    }
  }
}

/* The forward convolution, shared between threads through the counter at `next`, as conv_filter_grad. */
EXPORT(conv_forward)
void conv_forward(const ConvShape *s, const float *x, const float *w, const float *bias, float *y, int relu,
                         int *next, int chunk) {
  const int units = conv_forward_units(s);
  for (;;) {
    const int u0 = __atomic_fetch_add(next, chunk, __ATOMIC_RELAXED);
    if (u0 >= units) break;
    forward_range(s, x, w, bias, y, relu, u0, u0 + chunk < units ? u0 + chunk : units);
  }
}

/*
 * Winograd F(2×2, 3×3) for 3×3 stride-1 convolutions: each 2×2 block of outputs ("tile") costs 16·ci·co
 * multiply-adds instead of 36·ci·co. y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A per channel pair, where d is the tile's
 * 4×4 input window. Tiles go in groups of WG_TILES through a per-thread scratch area.
 */
#define WG_TILES 4

/* u[ξ][ci][co] = G g Gᵀ for the 3×3 filter w[r][s][ci][co], ξ = 4·i + j. */
EXPORT(winograd_filter)
void winograd_filter(const float *w, float *u, int ci, int co) {
  const long plane = (long)ci * co;
  for (long k = 0; k < plane; k++) {
    float g[3][3], t[4][3];
    for (int r = 0; r < 3; r++)
      for (int s = 0; s < 3; s++) g[r][s] = w[(r * 3 + s) * plane + k];
    for (int s = 0; s < 3; s++) {
      t[0][s] = g[0][s];
      t[1][s] = 0.5f * (g[0][s] + g[1][s] + g[2][s]);
      t[2][s] = 0.5f * (g[0][s] - g[1][s] + g[2][s]);
      t[3][s] = g[2][s];
    }
    for (int i = 0; i < 4; i++) {
      u[(i * 4 + 0) * plane + k] = t[i][0];
      u[(i * 4 + 1) * plane + k] = 0.5f * (t[i][0] + t[i][1] + t[i][2]);
      u[(i * 4 + 2) * plane + k] = 0.5f * (t[i][0] - t[i][1] + t[i][2]);
      u[(i * 4 + 3) * plane + k] = t[i][2];
    }
  }
}

/* Floats of scratch one thread needs: V[16][WG_TILES][ci] and M[16][WG_TILES][co]. */
EXPORT(winograd_scratch_floats)
int winograd_scratch_floats(const ConvShape *s) {
  return 16 * WG_TILES * (s->ci + s->co);
}

/* Units: one row of tiles of one image. */
EXPORT(winograd_units)
int winograd_units(const ConvShape *s) {
  return s->n * ((s->out_h + 1) / 2);
}

/* Input transform of tile (b, th, tw) into v[ξ][t][·]: Bᵀ d B, four channels at a time (ci % 4 == 0). */
static inline void winograd_input(const ConvShape *s, const float *x, float *v, int b, int th, int tw, int t) {
  const int h0 = 2 * th - s->top, w0 = 2 * tw - s->left;
  const long vstride = (long)WG_TILES * s->ci;
  for (int c = 0; c < s->ci; c += 4) {
    v128_t d[4][4];
    for (int i = 0; i < 4; i++) {
      const int ih = h0 + i;
      for (int j = 0; j < 4; j++) {
        const int iw = w0 + j;
        d[i][j] = (ih >= 0 && ih < s->h && iw >= 0 && iw < s->w)
                      ? wasm_v128_load(x + ((long)(b * s->h + ih) * s->w + iw) * s->ci + c)
                      : wasm_f32x4_splat(0);
      }
    }
    v128_t e[4][4];
    for (int j = 0; j < 4; j++) {
      e[0][j] = wasm_f32x4_sub(d[0][j], d[2][j]);
      e[1][j] = wasm_f32x4_add(d[1][j], d[2][j]);
      e[2][j] = wasm_f32x4_sub(d[2][j], d[1][j]);
      e[3][j] = wasm_f32x4_sub(d[1][j], d[3][j]);
    }
    float *out = v + (long)t * s->ci + c;
    for (int i = 0; i < 4; i++) {
      wasm_v128_store(out + (i * 4 + 0) * vstride, wasm_f32x4_sub(e[i][0], e[i][2]));
      wasm_v128_store(out + (i * 4 + 1) * vstride, wasm_f32x4_add(e[i][1], e[i][2]));
      wasm_v128_store(out + (i * 4 + 2) * vstride, wasm_f32x4_sub(e[i][2], e[i][1]));
      wasm_v128_store(out + (i * 4 + 3) * vstride, wasm_f32x4_sub(e[i][1], e[i][3]));
    }
  }
}

/* m[ξ][t][o0..o0+8] = Σ_c v[ξ][t][c] · u[ξ][c][o0..o0+8] for nt tiles (a constant in each inlined copy). */
static inline __attribute__((always_inline)) void winograd_product(const ConvShape *s, const float *v, const float *u,
                                                                   float *m, int xi, int o0, int nt) {
  v128_t acc[WG_TILES][2];
  for (int t = 0; t < nt; t++) acc[t][0] = acc[t][1] = wasm_f32x4_splat(0);
  const float *vp = v + (long)xi * WG_TILES * s->ci;
  const float *up = u + (long)xi * s->ci * s->co + o0;
  for (int c = 0; c < s->ci; c++) {
    const v128_t u0 = wasm_v128_load(up + (long)c * s->co);
    const v128_t u1 = wasm_v128_load(up + (long)c * s->co + 4);
    for (int t = 0; t < nt; t++) {
      const v128_t vv = wasm_f32x4_splat(vp[t * s->ci + c]);
      acc[t][0] = MADD(acc[t][0], vv, u0);
      acc[t][1] = MADD(acc[t][1], vv, u1);
    }
  }
  float *mp = m + (long)xi * WG_TILES * s->co + o0;
  for (int t = 0; t < nt; t++) {
    wasm_v128_store(mp + (long)t * s->co, acc[t][0]);
    wasm_v128_store(mp + (long)t * s->co + 4, acc[t][1]);
  }
}

/* Output transform of tile t: y's 2×2 block = Aᵀ m A (+ bias, relu), only the outputs inside y. */
static inline void winograd_output(const ConvShape *s, const float *m, const float *bias, float *y, int relu, int b,
                                   int th, int tw, int t) {
  const long mstride = (long)WG_TILES * s->co;
  const v128_t zero = wasm_f32x4_splat(0);
  for (int o = 0; o < s->co; o += 4) {
    v128_t q[4][4];
    for (int xi = 0; xi < 16; xi++) q[xi / 4][xi % 4] = wasm_v128_load(m + xi * mstride + (long)t * s->co + o);
    v128_t r[2][4];
    for (int j = 0; j < 4; j++) {
      r[0][j] = wasm_f32x4_add(wasm_f32x4_add(q[0][j], q[1][j]), q[2][j]);
      r[1][j] = wasm_f32x4_sub(wasm_f32x4_sub(q[1][j], q[2][j]), q[3][j]);
    }
    const v128_t bv = bias ? wasm_v128_load(bias + o) : zero;
    for (int i = 0; i < 2; i++) {
      const int oh = 2 * th + i;
      if (oh >= s->out_h) break;
      const v128_t out[2] = {wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(r[i][0], r[i][1]), r[i][2]), bv),
                             wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_sub(r[i][1], r[i][2]), r[i][3]), bv)};
      for (int j = 0; j < 2; j++) {
        const int ow = 2 * tw + j;
        if (ow >= s->out_w) break;
        wasm_v128_store(y + ((long)(b * s->out_h + oh) * s->out_w + ow) * s->co + o,
                        relu ? wasm_f32x4_max(out[j], zero) : out[j]);
      }
    }
  }
}

/*
 * The Winograd convolution (3×3, stride 1, ci % 4 == 0, co % CO_TILE == 0), shared between threads through the
 * counter at next[0]; next[1] numbers the threads, each of which works in its own `scratch_floats` of `scratch`.
 */
EXPORT(conv_winograd)
void conv_winograd(const ConvShape *s, const float *x, const float *u, const float *bias, float *y, int relu,
                   float *scratch, int *next) {
  const int units = winograd_units(s);
  const int thread = __atomic_fetch_add(next + 1, 1, __ATOMIC_RELAXED);
  float *v = scratch + (long)thread * winograd_scratch_floats(s);
  float *m = v + 16 * WG_TILES * s->ci;
  const int tiles_w = (s->out_w + 1) / 2;
  for (;;) {
    const int unit = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
    if (unit >= units) break;
    const int b = unit / ((s->out_h + 1) / 2), th = unit % ((s->out_h + 1) / 2);
    for (int tw0 = 0; tw0 < tiles_w; tw0 += WG_TILES) {
      const int nt = tiles_w - tw0 < WG_TILES ? tiles_w - tw0 : WG_TILES;
      for (int t = 0; t < nt; t++) winograd_input(s, x, v, b, th, tw0 + t, t);
      for (int xi = 0; xi < 16; xi++)
        for (int o0 = 0; o0 < s->co; o0 += CO_TILE) {
          switch (nt) {
            case 4: winograd_product(s, v, u, m, xi, o0, 4); break;
            case 3: winograd_product(s, v, u, m, xi, o0, 3); break;
            case 2: winograd_product(s, v, u, m, xi, o0, 2); break;
            default: winograd_product(s, v, u, m, xi, o0, 1); break;
          }
        }
      for (int t = 0; t < nt; t++) winograd_output(s, m, bias, y, relu, b, th, tw0 + t, t);
    }
  }
}

/* Units of a narrow convolution: one output row of one image, every output channel. */
EXPORT(conv_narrow_units)
int conv_narrow_units(const ConvShape *s) {
  return s->n * s->out_h;
}

/*
 * A convolution with few output channels (a network's first-layer input gradient has one) and ci % 4 == 0:
 * each output is one dot product over taps and input channels, four channels a lane, summed across lanes at
 * the end. Same arguments and sharing as conv_forward.
 */
EXPORT(conv_narrow)
void conv_narrow(const ConvShape *s, const float *x, const float *w, const float *bias, float *y, int relu, int *next,
                 int chunk) {
  const int units = conv_narrow_units(s);
  for (;;) {
    const int u0 = __atomic_fetch_add(next, chunk, __ATOMIC_RELAXED);
    if (u0 >= units) break;
    const int u1 = u0 + chunk < units ? u0 + chunk : units;
    for (int row = u0; row < u1; row++) {
      const int b = row / s->out_h, oh = row % s->out_h;
      for (int ow = 0; ow < s->out_w; ow++) {
        for (int o = 0; o < s->co; o++) {
          v128_t acc = wasm_f32x4_splat(0);
          for (int r = 0; r < s->fh; r++) {
            const int ih = oh * s->sh + r - s->top;
            if (ih < 0 || ih >= s->h) continue;
            for (int sc = 0; sc < s->fw; sc++) {
              const int iw = ow * s->sw + sc - s->left;
              if (iw < 0 || iw >= s->w) continue;
              const float *xp = x + ((long)(b * s->h + ih) * s->w + iw) * s->ci;
              const float *wp = w + (long)(r * s->fw + sc) * s->ci * s->co + o;
              for (int c = 0; c < s->ci; c += 4) {
                const v128_t wv = s->co == 1 ? wasm_v128_load(wp + c)
                                             : wasm_f32x4_make(wp[(long)c * s->co], wp[(long)(c + 1) * s->co],
                                                               wp[(long)(c + 2) * s->co], wp[(long)(c + 3) * s->co]);
                acc = MADD(acc, wasm_v128_load(xp + c), wv);
              }
            }
          }
          float sum = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) +
                      wasm_f32x4_extract_lane(acc, 3);
          if (bias) sum += bias[o];
          y[((long)(b * s->out_h + oh) * s->out_w + ow) * s->co + o] = relu && sum < 0 ? 0 : sum;
        }
      }
    }
  }
}
