#!/usr/bin/env python3
"""The Python reference for `trm4j bench step`: one full supervision step of a TRM/DIS model on
random tokens, as the reference trainers run it (token embedding + zero puzzle prefix, scaled by
sqrt(D); T cycles of n latent updates and one answer update, T-1 without gradient; lm_head;
float64 stable-max loss; backward; AdamW), and the same step without gradient (evaluation).
The model shape comes from a trm4j preset file. Run with Debian's python3-torch on a CPU
(bench/README.md), or with torch 2 on a GPU: --device cuda, and --compile for torch.compile of the
step (the reference trainers compile their model)."""
import argparse
import json
import math
import os
import resource
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from reference_block import Block, median_ms, rms_norm, trunc  # noqa: E402


class MlpTBlock(torch.nn.Module):
    """mlp_t: a SwiGLU across the sequence axis replaces attention (no positional encoding)."""

    def __init__(self, d, s, inner_d, inner_s):
        super().__init__()
        self.t_gate_up, self.t_down = trunc(2 * inner_s, s), trunc(s, inner_s)
        self.gate_up, self.down = trunc(2 * inner_d, d), trunc(d, inner_d)

    def forward(self, h, cos, sin):
        t = h.transpose(1, 2)
        g, u = F.linear(t, self.t_gate_up).chunk(2, dim=-1)
        h = rms_norm(t + F.linear(F.silu(g) * u, self.t_down)).transpose(1, 2)
        g, u = F.linear(h, self.gate_up).chunk(2, dim=-1)
        return rms_norm(h + F.linear(F.silu(g) * u, self.down))


def inner_of(width, expansion):
    return (round(expansion * width * 2 / 3) + 255) // 256 * 256


def stablemax_loss(logits, labels):
    x = logits.double()
    s = torch.where(x < 0, 1 / (1 - x.clamp(max=0)), x.clamp(min=0) + 1)
    logp = s.log() - s.sum(-1, keepdim=True).log()
    return -logp.gather(-1, labels.unsqueeze(-1)).squeeze(-1).mean(-1).sum()


def preset_model(folder, name):
    """A preset's model section with what it extends merged in (a preset states only what differs from its base)."""
    doc = json.load(open(os.path.join(folder, name + ".json")))
    base = preset_model(folder, doc["extends"]) if "extends" in doc else {}
    return {**base, **doc.get("model", {})}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--preset", default="dis-arc-compact")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--dtype", choices=["bf16", "fp32"], default="bf16")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu", help="cpu, or cuda")
    ap.add_argument("--compile", action="store_true", help="torch.compile the step (torch 2)")
    a = ap.parse_args()
    dev = torch.device(a.device)
    if dev.type != "cpu":
        torch.set_default_device(dev)   # torch 2: every tensor below is made there
    here = os.path.dirname(os.path.abspath(__file__))
    m = preset_model(os.path.join(here, "..", "src/main/resources/trm4j/presets"), a.preset)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d, heads, P, seq, V = m["hidden_size"], m["heads"], m["puzzle_emb_len"], m["seq_len"], m["vocab_size"]
    S, T, n, hd = seq + P, m["T"], m["n"], d // heads
    if m["mlp_t"]:
        blocks = torch.nn.ModuleList([MlpTBlock(d, S, inner_of(d, m["expansion"]), inner_of(S, m["expansion"])) for _ in range(m["layers"])])
    else:
        blocks = torch.nn.ModuleList([Block(d, heads, inner_of(d, m["expansion"])) for _ in range(m["layers"])])
    embed = torch.nn.Parameter(torch.randn(V, d) / math.sqrt(d))
    lm_head = trunc(V, d)
    step_embed = torch.nn.Parameter(torch.zeros(m["N_sup"] + 2, d)) if m["step_embedding"] else None
    params = list(blocks.parameters()) + [embed, lm_head] + ([step_embed] if step_embed is not None else [])
    opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1)
    inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
    freqs = torch.outer(torch.arange(S).float(), inv)
    cos, sin = torch.cat((freqs, freqs), -1).cos(), torch.cat((freqs, freqs), -1).sin()
    y0, z0 = torch.randn(d), torch.randn(d)
    tokens = torch.randint(1, V, (a.batch, seq))
    labels = torch.randint(1, V, (a.batch, seq))
    on = a.dtype == "bf16"

    def f(h, inj):
        h = h + inj
        for blk in blocks:
            h = blk(h, cos, sin)
        return h

    def step():
        e = torch.cat((torch.zeros(a.batch, P, d), F.embedding(tokens, embed)), 1)
        if step_embed is not None:
            e = e + step_embed[1]
        x = e * math.sqrt(d)
        act = torch.bfloat16 if on else torch.float32
        y = y0.to(act).expand(a.batch, S, d)
        z = z0.to(act).expand(a.batch, S, d)
        with torch.no_grad():
            for _ in range(T - 1):
                for _ in range(n):
                    z = f(z, y + x)
                y = f(y, z)
        for _ in range(n):
            z = f(z, y + x)
        y = f(y, z)
        return F.linear(y[:, P:], lm_head)

    forward = torch.compile(step) if a.compile else step

    def train():
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=on):
            loss = stablemax_loss(forward(), labels) / a.batch
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=False)

    def evaluate():
        with torch.no_grad(), torch.autocast(dev.type, dtype=torch.bfloat16, enabled=on):
            forward().argmax(-1)

    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    tr = median_ms(a.warmup, a.iters, train, sync)
    ev = median_ms(a.warmup, a.iters, evaluate, sync)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    mode = "compiled" if a.compile else "eager"
    print(f"step preset={a.preset} device={a.device} batch={a.batch} seq={S} dtype={a.dtype} threads={a.threads} {mode} (python torch {torch.__version__})")
    print(f"train  median {tr:.1f} ms  {a.batch * 1000 / tr:.1f} samples/s")
    print(f"eval   median {ev:.1f} ms  {1000 / ev:.2f} steps/s")
    print(f"peak   {peak / 1e6:.0f} MB resident")


if __name__ == "__main__":
    main()
