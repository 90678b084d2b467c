#!/usr/bin/env python3
"""Golden outputs of the reference code for ReferenceGoldenTest, from pinned commits of the reference
repositories (each refused at any other commit):
  make_golden.py trm REF_DIR OUT   SamsungSAILMontreal/TinyRecursiveModels: three small TRM models (attention with
                                   RoPE; mlp_t; learned positions with a puzzle embedding wider than the hidden size)
  make_golden.py dis REF_DIR OUT   machinestein/Deep-Improvement-Supervision: a small DIS model, whose step s adds the
                                   step embedding s and reads the argmax of step s-1
  make_golden.py loss REF_DIR OUT  the TRM loss (models/losses.py: stable-max cross-entropy per sequence, plus 0.5 x BCE of
                                   q_halt against exactness), its value and its gradient, on random logits with ignored labels
  make_golden.py adam ADAM_DIR OUT the adam-atan2 package's own reference implementation (its test file) over 5 steps
Models: random weights saved with torch.save; the logits and q logits after two supervision steps from y0/z0 in float32 and
float64, and in float64 the gradient of every weight for one supervision step's cross-entropy. The reference computes RMSNorm and its
RoPE tables in float32 whatever the model's dtype, and keeps its weights in float32; for float64 all three are float64 here:
the float64 goldens then hold to about 1e-12. The reference code is imported from REF_DIR, not copied; reference.py has the
pins and the shims that let it run under Debian's python3-torch 1.13.
Usage: /usr/bin/python3 make_golden.py trm|dis|loss|adam DIR OUT_DIR"""
import json
import math
import os
import sys
import types

import torch
import torch.nn.functional as F

mode, ref, out = sys.argv[1], sys.argv[2], sys.argv[3]
dis = mode == "dis"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402  (installs the shims)
REFERENCE = reference.pinned("dis" if dis else "adam" if mode == "adam" else "trm", ref)
commit = REFERENCE["commit"]


if mode == "adam":   # the package's test file from the pinned commit, executed as a module (its imports stubbed)
    source = reference.git_show(ref, commit, "adam_atan2/adam_atan2_test.py")
    sys.modules["pytest"] = types.SimpleNamespace(mark=types.SimpleNamespace(parametrize=lambda *a, **k: (lambda f: f)))
    source = source.replace("from .adam_atan2 import _adam_atan2", "")
    package = {}
    exec(compile(source, "adam_atan2_test.py", "exec"), package)
    reference_impl = package["_adam_atan2_reference_impl"]
    torch.manual_seed(3)
    lr, wd, beta1, beta2 = 1e-3, 0.1, 0.9, 0.95
    param = torch.randn(7, dtype=torch.float64) * 0.02
    exp_avg, exp_avg_sq = torch.zeros_like(param), torch.zeros_like(param)
    golden = {"reference": REFERENCE, "lr": lr, "weight_decay": wd, "beta1": beta1, "beta2": beta2, "param": param.tolist(), "steps": []}
    for step in range(1, 6):
        grad = torch.randn(7, dtype=torch.float64) * 0.001
        param, exp_avg, exp_avg_sq = reference_impl(param, grad, exp_avg, exp_avg_sq, step_size=lr / (1 - beta1 ** step),
                                                    wd_step_size=lr * wd, bias_correction2_sqrt=math.sqrt(1 - beta2 ** step),
                                                    beta1=beta1, beta2=beta2)
        golden["steps"].append({"grad": grad.tolist(), "param": param.tolist()})
    json.dump(golden, open(os.path.join(out, "adam_atan2.json"), "w"))
    sys.exit(0)

sys.path.insert(0, ref)
if mode == "loss":
    from models.losses import stablemax_cross_entropy, IGNORE_LABEL_ID  # noqa: E402
    torch.manual_seed(5)
    logits = (torch.randn(3, 6, 5, dtype=torch.float64) * 3).requires_grad_()
    labels = torch.randint(0, 5, (3, 6))
    labels[0, 2], labels[1, 0], labels[1, 5] = IGNORE_LABEL_ID, IGNORE_LABEL_ID, IGNORE_LABEL_ID
    labels[2] = logits.detach()[2].argmax(-1)   # one row answered exactly: its halting target is 1
    q_halt = torch.randn(3, dtype=torch.float64, requires_grad=True)
    # ACTLossHead.forward, from the correctness to the returned loss
    mask = labels != IGNORE_LABEL_ID
    loss_counts = mask.sum(-1)
    loss_divisor = loss_counts.clamp_min(1).unsqueeze(-1)
    seq_is_correct = (mask & (logits.argmax(-1) == labels)).sum(-1) == loss_counts
    lm_loss = (stablemax_cross_entropy(logits, labels, ignore_index=IGNORE_LABEL_ID, valid_mask=mask) / loss_divisor).sum()
    q_halt_loss = F.binary_cross_entropy_with_logits(q_halt, seq_is_correct.to(q_halt.dtype), reduction="sum")
    total = lm_loss + 0.5 * q_halt_loss
    total.backward()
    json.dump({"reference": REFERENCE, "logits": logits.detach().flatten().tolist(), "labels": labels.flatten().tolist(),
               "q_halt": q_halt.detach().tolist(), "exact": seq_is_correct.tolist(), "lm_loss": lm_loss.item(),
               "total": total.item(), "grad_logits": logits.grad.flatten().tolist(), "grad_q_halt": q_halt.grad.tolist()},
              open(os.path.join(out, "loss.json"), "w"))
    sys.exit(0)

import models.layers as layers  # noqa: E402
import models.recursive_reasoning.trm as trm  # noqa: E402
from models.recursive_reasoning.trm import (TinyRecursiveReasoningModel_ACTV1_Inner as Inner,  # noqa: E402
                                            TinyRecursiveReasoningModel_ACTV1Config as Config)
from models.losses import stablemax_cross_entropy  # noqa: E402

float32_rms_norm = trm.rms_norm

def write_safetensors(path, tensors):   # the format by its specification: u64 header length, JSON header, raw bytes
    header, blobs, offset = {}, [], 0
    kinds = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16", torch.float64: "F64"}
    for k, t in tensors.items():
        data = t.contiguous().view(torch.uint8).numpy().tobytes() if t.dtype == torch.bfloat16 else t.contiguous().numpy().tobytes()
        header[k] = {"dtype": kinds[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little") + text + b"".join(blobs))

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
    if name == "trm_attention":   # the same weights as the safetensors export of a trained reference run would name them
        write_safetensors(os.path.join(out, f"{name}.safetensors"), {"_orig_mod.model.inner." + k: v for k, v in state.items()})
    inputs = torch.randint(1, 5, (3, 6))
    ids = torch.tensor([0, 1, 2])
    expected = {"model": {"hidden_size": 16, "heads": 2, "layers": 2, "expansion": 1.0, "seq_len": 6, "vocab_size": 5,
                          "puzzle_emb_len": 4, "puzzle_ids": 3, "puzzle_emb_ndim": 0 if ndim == 16 else ndim,
                          "pos_encoding": positions, "mlp_t": mlp_t,
                          "T": 2, "n": 2, "N_sup": 4, "step_embedding": dis},
                "inputs": inputs.flatten().tolist(), "puzzle_ids": ids.tolist()}
    labels = torch.randint(0, 5, (3, 6))
    expected["labels"], expected["reference"] = labels.flatten().tolist(), REFERENCE
    for dtype in ("float32", "float64"):
        trm.rms_norm = reference.float64_rms_norm if dtype == "float64" else float32_rms_norm
        m = Inner(Config(**base, forward_dtype=dtype))
        m.load_state_dict(state)
        m.H_init, m.L_init = state["H_init"].to(getattr(torch, dtype)), state["L_init"].to(getattr(torch, dtype))
        if dtype == "float64":   # parameters too (the reference keeps them in float32 and casts at use: gradients would round)
            m = m.double()
            if hasattr(m, "rotary_emb"):
                reference.rope_tables_in_float64(m.rotary_emb, Config.__fields__["rope_theta"].default)
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
        if dtype == "float64":   # the gradient of one supervision step's loss (the last cycle carries it), as ACTLossHead computes it
            carry = m.reset_carry(torch.ones(3, dtype=torch.bool), m.empty_carry(3))
            batch = {"inputs": inputs, "puzzle_identifiers": ids}
            kwargs = {"timestep_idxs": torch.full((3,), 1)} if dis else {}
            _, logits, _ = m(carry, batch, **kwargs)
            # The cross-entropy part alone: the reference's q head answers in float32 whatever the dtype (the BCE part
            # and its gradient are golden in loss.json).
            loss = (stablemax_cross_entropy(logits, labels) / labels.shape[-1]).sum()
            loss.backward()
            expected["grad_loss"] = loss.item()
            expected["grads"] = {k: p.grad.flatten().tolist() for k, p in m.named_parameters() if p.grad is not None}
    json.dump(expected, open(os.path.join(out, f"{name}.json"), "w"))
