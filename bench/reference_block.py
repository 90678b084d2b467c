#!/usr/bin/env python3
"""The Python reference for `trm4j bench block`: one network call f(h, x) of an L-layer TRM block
stack (post-norm, fused qkv, RoPE, SwiGLU, RMSNorm without scale), timed for forward+backward and
for a no-grad forward. Run with Debian's python3-torch; see bench/README.md for the settings."""
import argparse
import math
import statistics
import time

import torch
import torch.nn.functional as F


def trunc(out_features, in_features):
    return torch.nn.Parameter(torch.randn(out_features, in_features) / math.sqrt(in_features))


def rms_norm(x, eps=1e-5):
    dtype = x.dtype
    x = x.float()
    return (x * torch.rsqrt(x.square().mean(-1, keepdim=True) + eps)).to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Block(torch.nn.Module):
    def __init__(self, d, heads, inner):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.qkv, self.o = trunc(3 * d, d), trunc(d, d)
        self.gate_up, self.down = trunc(2 * inner, d), trunc(d, inner)

    def forward(self, h, cos, sin):
        b, s, d = h.shape
        qkv = F.linear(h, self.qkv).view(b, s, 3 * self.heads, self.hd)
        q, k, v = qkv[:, :, :self.heads], qkv[:, :, self.heads:2 * self.heads], qkv[:, :, 2 * self.heads:]
        dt = q.dtype
        q = (q.float() * cos.unsqueeze(-2) + rotate_half(q.float()) * sin.unsqueeze(-2)).to(dt)
        k = (k.float() * cos.unsqueeze(-2) + rotate_half(k.float()) * sin.unsqueeze(-2)).to(dt)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        if hasattr(F, "scaled_dot_product_attention"):   # torch 2: the fused kernels (flash, memory-efficient) the reference uses
            o = F.scaled_dot_product_attention(q, k, v)
        else:   # torch 1.13 has no fused SDPA
            scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.hd)
            o = torch.matmul(torch.softmax(scores, -1, dtype=torch.float32).to(v.dtype), v)
        o = o.transpose(1, 2).reshape(b, s, d)
        h = rms_norm(h + F.linear(o, self.o))
        gate, up = F.linear(h, self.gate_up).chunk(2, dim=-1)
        return rms_norm(h + F.linear(F.silu(gate) * up, self.down))


def median_ms(warmup, iters, fn, sync=lambda: None):
    """Median wall time of fn; sync waits for the device (a GPU runs fn's work after fn returns)."""
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=81)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--dtype", choices=["bf16", "fp32"], default="bf16")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d, hd = a.hidden, a.hidden // a.heads
    inner = (round(4 * d * 2 / 3) + 255) // 256 * 256
    blocks = torch.nn.ModuleList([Block(d, a.heads, inner) for _ in range(a.layers)])
    inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
    freqs = torch.outer(torch.arange(a.seq).float(), inv)
    emb = torch.cat((freqs, freqs), -1)
    cos, sin = emb.cos(), emb.sin()
    act = torch.bfloat16 if a.dtype == "bf16" else torch.float32
    h = torch.randn(a.batch, a.seq, d, dtype=act)
    x = torch.randn(a.batch, a.seq, d, dtype=act)

    def f():
        y = h + x
        for blk in blocks:
            y = blk(y, cos, sin)
        return y

    def fwd_bwd():
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.dtype == "bf16"):
            f().float().square().mean().backward()
        blocks.zero_grad(set_to_none=False)

    def fwd():
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.dtype == "bf16"):
            f()

    fb = median_ms(a.warmup, a.iters, fwd_bwd)
    fo = median_ms(a.warmup, a.iters, fwd)
    tokens = a.batch * a.seq
    flops = a.layers * (2 * tokens * d * 4 * d + 4 * a.batch * a.seq * a.seq * d + 2 * tokens * d * 3 * inner)
    print(f"block batch={a.batch} seq={a.seq} hidden={d} layers={a.layers} dtype={a.dtype} threads={a.threads} (python torch {torch.__version__})")
    print(f"fwd+bwd  median {fb:.2f} ms  {3 * flops / fb / 1e6:.1f} GFLOP/s")
    print(f"fwd      median {fo:.2f} ms  {flops / fo / 1e6:.1f} GFLOP/s (no grad)")


if __name__ == "__main__":
    main()
