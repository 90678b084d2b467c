#!/usr/bin/env python3
"""Golden outputs of the reference code for ReferenceGoldenTest. With REF_DIR a checkout of
SamsungSAILMontreal/TinyRecursiveModels: three small TRM models (attention with RoPE; mlp_t; learned positions
with a puzzle embedding wider than the hidden size, over two prefix slots). With
--dis and REF_DIR a checkout of machinestein/Deep-Improvement-Supervision: a small DIS model, whose step s
adds the step embedding s and reads the argmax of step s-1. Random weights are saved with torch.save;
the logits and q logits after two supervision steps from y0/z0 are computed in float32 and in float64.
The reference code is imported from REF_DIR, not copied. Debian's python3-torch is 1.13, older than the
reference expects, so shims stand in for what it lacks: einops.rearrange (two patterns), nn.Buffer,
F.scaled_dot_product_attention (composed), torch.optim.optimizer.ParamsT and a bare @torch.no_grad.
Usage: /usr/bin/python3 make_golden.py REF_DIR OUT_DIR [--dis]"""
import json
import math
import os
import sys
import types

import torch
import torch.nn.functional as F
from torch import nn

ref, out, dis = sys.argv[1], sys.argv[2], "--dis" in sys.argv[3:]

einops = types.ModuleType("einops")
def rearrange(t, pattern):
    if pattern.replace(" ", "") in ("BSHD->BHSD", "BHSD->BSHD"):
        return t.transpose(1, 2)
    raise ValueError(pattern)
einops.rearrange = rearrange
sys.modules["einops"] = einops

class Buffer:
    def __init__(self, data, persistent=True):
        self.data, self.persistent = data, persistent
nn.Buffer = Buffer
_setattr = nn.Module.__setattr__
def setattr_(self, name, value):
    if isinstance(value, Buffer):
        self.register_buffer(name, value.data, persistent=value.persistent)
    else:
        _setattr(self, name, value)
nn.Module.__setattr__ = setattr_

def sdpa(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    q, k, v = query, key, value
    assert attn_mask is None and not is_causal
    s = (q @ k.transpose(-2, -1)) * (scale if scale is not None else 1 / math.sqrt(q.shape[-1]))
    # laid out [B, S, H, D] in memory as PyTorch's fused kernels return it (the reference views it so)
    return (s.softmax(-1) @ v).transpose(1, 2).contiguous().transpose(1, 2)
F.scaled_dot_product_attention = sdpa

import importlib
importlib.import_module("torch.optim.optimizer").ParamsT = object

_no_grad = torch.no_grad
class NoGrad(_no_grad):   # bare @torch.no_grad (without parentheses) as a decorator
    def __new__(cls, fn=None):
        return _no_grad()(fn) if callable(fn) else super().__new__(cls)
    def __init__(self, fn=None):
        super().__init__()
torch.no_grad = NoGrad

sys.path.insert(0, ref)
from models.recursive_reasoning.trm import (TinyRecursiveReasoningModel_ACTV1_Inner as Inner,  # noqa: E402
                                            TinyRecursiveReasoningModel_ACTV1Config as Config)

# name, mlp_t, positions, puzzle_emb_ndim (24: a puzzle embedding over two prefix slots, zero-padded)
variants = (("dis_attention", False, "rope", 16),) if dis else (
    ("trm_attention", False, "rope", 16), ("trm_mlp_t", True, "none", 16), ("trm_learned", False, "learned", 24))
for name, mlp_t, positions, ndim in variants:
    torch.manual_seed(1)
    base = dict(batch_size=3, seq_len=6, puzzle_emb_ndim=ndim, num_puzzle_identifiers=3, vocab_size=5, H_cycles=2,
                L_cycles=2, H_layers=0, L_layers=2, hidden_size=16, expansion=1.0, num_heads=2,
                pos_encodings=positions, halt_max_steps=4, halt_exploration_prob=0.1, mlp_t=mlp_t,
                puzzle_emb_len=4)
    model = Inner(Config(**base, forward_dtype="float32"))
    with torch.no_grad():   # the reference's own initialisation, and the zero-initialised tensors made random too
        for t in (model.q_head.weight, model.puzzle_emb.weights) + ((model.timestep_embed.embedding_weight,) if dis else ()) \
                + ((model.embed_pos.embedding_weight,) if positions == "learned" else ()):
            t.copy_(torch.randn_like(t) / 4)
        model.q_head.bias.copy_(torch.randn_like(model.q_head.bias))
    state = {k: v for k, v in model.state_dict().items()}
    torch.save(state, os.path.join(out, f"{name}.pt"))
    inputs = torch.randint(1, 5, (3, 6))
    ids = torch.tensor([0, 1, 2])
    expected = {"model": {"hidden_size": 16, "heads": 2, "layers": 2, "expansion": 1.0, "seq_len": 6, "vocab_size": 5,
                          "puzzle_emb_len": 4, "puzzle_ids": 3, "puzzle_emb_ndim": 0 if ndim == 16 else ndim,
                          "pos_encoding": positions, "mlp_t": mlp_t,
                          "T": 2, "n": 2, "N_sup": 4, "step_embedding": dis},
                "inputs": inputs.flatten().tolist(), "puzzle_ids": ids.tolist()}
    for dtype in ("float32", "float64"):
        m = Inner(Config(**base, forward_dtype=dtype))
        m.load_state_dict(state)
        m.H_init, m.L_init = state["H_init"].to(getattr(torch, dtype)), state["L_init"].to(getattr(torch, dtype))
        m.eval()
        batch = {"inputs": inputs, "puzzle_identifiers": ids}
        carry = m.reset_carry(torch.ones(3, dtype=torch.bool), m.empty_carry(3))
        steps = []
        with torch.no_grad():
            for s in (1, 2):
                if dis:   # step s: step embedding s; from step 2 on, the argmax of the previous step as input
                    carry, logits, (q_halt, q_cont) = m(carry, batch, timestep_idxs=torch.full((3,), s))
                    batch = {"inputs": logits.argmax(-1), "puzzle_identifiers": ids}
                else:
                    carry, logits, (q_halt, q_cont) = m(carry, batch)
                steps.append({"logits": logits.double().flatten().tolist(), "q_halt": q_halt.double().tolist(),
                              "q_continue": q_cont.double().tolist()})
        expected[dtype] = steps
    json.dump(expected, open(os.path.join(out, f"{name}.json"), "w"))
