#!/usr/bin/env python3
"""Writes the torch.save fixtures of TorchSaveTest with PyTorch (Debian's python3-torch 1.13 made the
committed files): a tiny TRM state dict under the reference's names and prefixes, as the reference
pretrain.py saves it (an OrderedDict from state_dict(), fp32 weights, H_init/L_init in bf16), the
same in fp16, a tensor that views part of a larger storage, the expected values (values.json), and
a pickle that names os.system, which a reader must refuse without running it.
Usage: make_fixtures.py OUT_DIR"""
import collections
import io
import json
import os
import pickle
import sys
import zipfile

import torch

out = sys.argv[1]
torch.manual_seed(0)
D, V, IDS, INNER = 16, 12, 3, 256
shapes = collections.OrderedDict([
    ("embed_tokens.embedding_weight", (V, D)),
    ("L_level.layers.0.self_attn.qkv_proj.weight", (3 * D, D)),
    ("L_level.layers.0.self_attn.o_proj.weight", (D, D)),
    ("L_level.layers.0.mlp.gate_up_proj.weight", (2 * INNER, D)),
    ("L_level.layers.0.mlp.down_proj.weight", (D, INNER)),
    ("lm_head.weight", (V, D)),
    ("q_head.weight", (2, D)),
    ("q_head.bias", (2,)),
    ("H_init", (D,)),
    ("L_init", (D,)),
    ("puzzle_emb.weights", (IDS, D)),
])
state = collections.OrderedDict()
for name, shape in shapes.items():
    t = torch.randn(*shape)
    if name in ("H_init", "L_init"):
        t = t.to(torch.bfloat16)
    state["_orig_mod.model.inner." + name] = t
# puzzle rows as a view into a larger storage (offset and stride): torch.save keeps the whole storage
big = torch.randn(IDS + 2, D + 4)
state["_orig_mod.model.inner.puzzle_emb.weights"] = big[1:1 + IDS, 2:2 + D]
state._metadata = collections.OrderedDict()   # as nn.Module.state_dict() sets it
torch.save(state, os.path.join(out, "trm_fp32.pt"))
torch.save(collections.OrderedDict((k, v.half()) for k, v in state.items()), os.path.join(out, "trm_fp16.pt"))

values = {}
for k, v in state.items():
    f = v.double()
    values[k.replace("_orig_mod.model.inner.", "")] = {"shape": list(v.shape), "sum": f.sum().item(),
                                                        "first": f.flatten()[:3].tolist(), "dtype": str(v.dtype)}
json.dump(values, open(os.path.join(out, "values.json"), "w"), indent=1)


class Evil:
    def __reduce__(self):
        return (os.system, ("echo this must never run",))


buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("evil/data.pkl", pickle.dumps(collections.OrderedDict(x=Evil()), protocol=2))
    z.writestr("evil/version", "3\n")
open(os.path.join(out, "evil.pt"), "wb").write(buf.getvalue())
