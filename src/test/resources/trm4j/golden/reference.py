"""What the golden scripts share: the pinned reference commits, and what lets the reference code run under Debian's
python3-torch 1.13 (older than the reference expects) in float64.

Shims installed on import: einops.rearrange (two patterns), nn.Buffer, F.scaled_dot_product_attention (composed),
torch.optim.optimizer.ParamsT and a bare @torch.no_grad. The reference computes RMSNorm and its RoPE tables in float32
whatever the model's dtype; float64_rms_norm and rope_tables_in_float64 compute them in float64, so that float64 goldens
hold to round-off."""
import math
import subprocess
import sys
import types

import torch
import torch.nn.functional as F
from torch import nn

PINS = {"trm": ("SamsungSAILMontreal/TinyRecursiveModels", "e7b68717f0a6c4cbb4ce6fbef787b14f42083bd9"),
        "dis": ("machinestein/Deep-Improvement-Supervision", "032f11601b81d1d9a8526fb4864a066394ccf44d"),
        "adam": ("imoneoi/adam_atan2", "42a1aeb")}


def pinned(kind, ref):
    """{"repo", "commit"} of a reference checkout, or exit when REF is not at its pinned commit."""
    repo, commit = PINS[kind]
    if kind == "adam":   # only a commit of its history is read
        if subprocess.run(["git", "-C", ref, "cat-file", "-e", commit], capture_output=True).returncode != 0:
            sys.exit("%s: commit %s of %s is not there" % (ref, commit, repo))
    else:
        head = subprocess.run(["git", "-C", ref, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        if head != commit:
            sys.exit("%s is at %s; the goldens are pinned to %s@%s" % (ref, head or "no git commit", repo, commit))
    return {"repo": repo, "commit": commit}


def git_show(ref, commit, path):
    return subprocess.run(["git", "-C", ref, "show", commit + ":" + path], capture_output=True, text=True, check=True).stdout


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

import importlib  # noqa: E402
importlib.import_module("torch.optim.optimizer").ParamsT = object

_no_grad = torch.no_grad
class NoGrad(_no_grad):   # bare @torch.no_grad (without parentheses) as a decorator
    def __new__(cls, fn=None):
        return _no_grad()(fn) if callable(fn) else super().__new__(cls)
    def __init__(self, fn=None):
        super().__init__()
torch.no_grad = NoGrad


def float64_rms_norm(hidden_states, variance_epsilon):   # the reference's RMSNorm, computed in the input's dtype
    return hidden_states * torch.rsqrt(hidden_states.square().mean(-1, keepdim=True) + variance_epsilon)


def rope_tables_in_float64(rotary, base):   # the reference's RoPE tables, built in float64 instead of float32
    dim, positions = rotary.cos_cached.shape[-1], rotary.cos_cached.shape[0]
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    emb = torch.cat((torch.outer(torch.arange(positions, dtype=torch.float64), inv_freq),) * 2, dim=-1)
    rotary.cos_cached, rotary.sin_cached = emb.cos(), emb.sin()
