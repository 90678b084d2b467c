#!/usr/bin/env python3
"""Training trajectories of the reference code for TrajectoryGoldenTest: the reference's own training step (train_batch,
compute_lr and its schedule, taken from the entry point's source at the pinned commit), its ACT model and loss head, its
sign-SGD for the puzzle embeddings and its EMA, run in float64 on the CPU from random weights saved for trm4j, over 60
optimiser steps of a fixed data set:
  make_trajectory.py trm REF_DIR OUT          TinyRecursiveModels, pretrain.py: ACT with halting (q_halt > 0), refill of
                                              halted rows, exploration off, AdamATan2, EMA 0.9, constant rate
  make_trajectory.py trm-explore REF_DIR OUT  the same with halt_exploration_prob 0.5; each step's minima are exported
  make_trajectory.py dis REF_DIR OUT          Deep-Improvement-Supervision, train_arc_tiny_corrupt.py: ACTV5 (the previous
                                              prediction as input, step embedding) with ACTLossHeadV4 (step s against
                                              frame s of the improvement path), AdamW, cosine rate; each batch's path
                                              scores and frames are exported
What stands in for what the reference needs and Debian's python3-torch 1.13 lacks (reference.py has the shims):
- AdamATan2 (the adam-atan2 package is a CUDA extension): the update of the package's reference implementation
  (param *= 1 - lr*wd; m = lerp(m, g, 1-b1); v = b2*v + (1-b2)*g^2; param -= lr/(1-b1^t) * atan2(m, sqrt(v)/sqrt(1-b2^t))),
  in float64 where the package casts to float32;
- the q head's logits are cast to float64 instead of float32, RMSNorm and the RoPE tables are computed in float64;
- the puzzle embedding's local ids are int64 (torch 1.13 cannot index with int32);
- .cuda() and torch.device("cuda") are the CPU; the data loader is the fixed batches below.
Exported per step: the loss train_batch backpropagates (x global batch: lm_loss + 0.5 q_halt_loss) and lm_loss, the q_halt
logits, the halted flags and step counters of the carry, checksums of the carry's z_H (y) and z_L (z), of the weights and
of the puzzle table; at the end the puzzle table, and a checksum of every weight (and of TRM's EMA of it).
Usage: /usr/bin/python3 make_trajectory.py trm|trm-explore|dis REF_DIR OUT_DIR"""
import ast
import contextlib
import dataclasses
import json
import math
import os
import sys
import types
import typing

import torch
from torch import nn

mode, ref, out = sys.argv[1], sys.argv[2], sys.argv[3]
dis = mode == "dis"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402  (installs the shims)
REFERENCE = reference.pinned("dis" if dis else "trm", ref)
sys.path.insert(0, ref)
import models.recursive_reasoning.trm as trm  # noqa: E402
import models.losses as losses  # noqa: E402
from models.sparse_embedding import CastedSparseEmbeddingSignSGD_Distributed  # noqa: E402
from models.ema import EMAHelper  # noqa: E402

B, SEQ, VOCAB, N_SUP, STEPS, SAMPLES = 4, 6, 5, 4, 60, 24
EXPLORATION = 0.5 if mode == "trm-explore" else 0.0


class Proxy(types.ModuleType):
    """torch as a module of the reference sees it, with some names replaced."""
    def __init__(self, **replaced):
        super().__init__("torch")
        self.__dict__.update(replaced)

    def __getattr__(self, name):
        return getattr(torch, name)


# The training step of the entry point, from its source (its imports pull in wandb, hydra, pydantic 2 and the CUDA optimiser).
entry = "train_arc_tiny_corrupt.py" if dis else "pretrain.py"
tree = ast.parse(reference.git_show(ref, REFERENCE["commit"], entry))
wanted = {"TrainState", "train_batch", "compute_lr", "cosine_schedule_with_warmup_lr_lambda"}
namespace = {"torch": Proxy(device=lambda *a, **k: contextlib.nullcontext()), "nn": nn, "math": math, "dist": torch.distributed,
             "dataclass": dataclasses.dataclass, "field": dataclasses.field, "PretrainConfig": object,
             **{k: getattr(typing, k) for k in typing.__all__}}
exec(compile(ast.Module(body=[n for n in tree.body if getattr(n, "name", None) in wanted], type_ignores=[]), entry, "exec"), namespace)
torch.Tensor.cuda = lambda self, *a, **k: self


class AdamATan2(torch.optim.Optimizer):
    """The adam-atan2 package's update (its reference implementation), per parameter with a gradient, in float64."""
    def __init__(self, params, lr, weight_decay, betas):
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay, betas=betas))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state.update(step=0, exp_avg=torch.zeros_like(p), exp_avg_sq=torch.zeros_like(p))
                state["step"] += 1
                t = state["step"]
                p.mul_(1 - group["lr"] * group["weight_decay"])
                state["exp_avg"].lerp_(p.grad, 1 - beta1)
                state["exp_avg_sq"].mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                denom = state["exp_avg_sq"].sqrt() / math.sqrt(1 - beta2 ** t)
                p.add_(torch.atan2(state["exp_avg"], denom), alpha=-group["lr"] / (1 - beta1 ** t))


# Random draws inside the model's step, recorded: exploration (TRM) and the improvement paths' scores (DIS).
draws = {"rand_like": [], "randint_like": [], "rand": []}
def recorded(name):
    def draw(*args, **kwargs):
        value = getattr(torch, name)(*args, **kwargs)
        draws[name].append(value.clone())
        return value
    return draw
trm.torch = Proxy(float32=torch.float64, rand_like=recorded("rand_like"), randint_like=recorded("randint_like"), rand=recorded("rand"))
trm.rms_norm = reference.float64_rms_norm

# The data: inputs over tokens 1..4, a third of them with the last two cells padding (label PAD, ignored); puzzle 0 copies
# and 1 copy their input, puzzle 2 shifts it by one cell.
torch.manual_seed(11)
samples = []
for i in range(SAMPLES):
    puzzle = i % 3
    x = torch.randint(1, VOCAB, (SEQ,))
    y = x.clone() if puzzle < 2 else torch.roll(x, 1)
    if i % 3 == 1:
        x[-2:], y[-2:] = 0, 0
    samples.append({"input": x.tolist(), "label": y.tolist(), "puzzle_id": puzzle})

def batch_of(positions):   # as the reference's loader gives it: labels with PAD as IGNORE_LABEL_ID
    rows = [samples[p % SAMPLES] for p in positions]
    labels = torch.tensor([r["label"] for r in rows])
    return {"inputs": torch.tensor([r["input"] for r in rows]), "labels": labels.masked_fill(labels == 0, losses.IGNORE_LABEL_ID),
            "puzzle_identifiers": torch.tensor([r["puzzle_id"] for r in rows])}

# The model: the reference's initialisation, with the zero-initialised q head, puzzle table and step embedding made random
# (so that rows halt at different steps from the start and the puzzle rows matter), saved for trm4j, then made float64.
torch.manual_seed(1)
arch = dict(batch_size=B, seq_len=SEQ, puzzle_emb_ndim=16, num_puzzle_identifiers=3, vocab_size=VOCAB, H_cycles=2, L_cycles=2,
            H_layers=0, L_layers=2, hidden_size=16, expansion=1.0, num_heads=2, pos_encodings="rope", halt_max_steps=N_SUP,
            halt_exploration_prob=EXPLORATION, mlp_t=False, puzzle_emb_len=4, no_ACT_continue=True, forward_dtype="float64")
model = (trm.TinyRecursiveReasoningModel_ACTV5 if dis else trm.TinyRecursiveReasoningModel_ACTV1)(arch)
inner = model.inner
with torch.no_grad():
    for t in (inner.q_head.weight, inner.puzzle_emb.weights) + ((inner.timestep_embed.embedding_weight,) if dis else ()):
        t.copy_(torch.randn_like(t) / 4)
    inner.q_head.weight.mul_(2)
    inner.q_head.bias.fill_(0.5)
torch.save({k: v.float() for k, v in inner.state_dict().items()}, os.path.join(out, mode + ".pt"))
inner.load_state_dict({k: v.float() for k, v in inner.state_dict().items()})   # the float32 values trm4j loads
model.double()
reference.rope_tables_in_float64(inner.rotary_emb, arch.get("rope_theta", 10000.0))
inner.puzzle_emb.register_buffer("local_weights", torch.zeros(B, 16, dtype=torch.float64, requires_grad=True), persistent=False)
inner.puzzle_emb.register_buffer("local_ids", torch.zeros(B, dtype=torch.int64), persistent=False)
model.train()
head = (losses.ACTLossHeadV4 if dis else losses.ACTLossHead)(model, loss_type="stablemax_cross_entropy")

settings = dict(lr=1e-3, lr_warmup_steps=10, lr_min_ratio=0.0 if dis else 1.0, weight_decay=0.1, beta1=0.9, beta2=0.95,
                puzzle_emb_lr=1e-2, puzzle_emb_weight_decay=0.1, ema_rate=0.9)
config = types.SimpleNamespace(**settings)
weights_optimizer = (torch.optim.AdamW if dis else AdamATan2)(head.parameters(), lr=0, weight_decay=config.weight_decay,
                                                             betas=(config.beta1, config.beta2))
optimizers = [CastedSparseEmbeddingSignSGD_Distributed(inner.puzzle_emb.buffers(), lr=0, weight_decay=config.puzzle_emb_weight_decay,
                                                       world_size=1), weights_optimizer]
state = namespace["TrainState"](model=head, optimizers=optimizers, optimizer_lrs=[config.puzzle_emb_lr, config.lr], carry=None,
                                step=0, total_steps=STEPS)
ema = None
if not dis:
    ema = EMAHelper(mu=config.ema_rate)
    ema.register(head)

def checksum(t):   # sensitive to where each value sits
    flat = t.detach().double().flatten()
    return (flat * (1 + torch.arange(flat.numel()) % 7)).sum().item()

# The loss head's forward, kept: its loss and lm_loss are the step's.
forward, seen = head.forward, {}
def keep(*args, **kwargs):
    new_carry, loss, metrics, outputs, finished = forward(*args, **kwargs)
    seen.update(loss=loss.item(), lm_loss=metrics["lm_loss"].item(), q_halt=model_outputs["q_halt_logits"].tolist())
    return new_carry, loss, metrics, outputs, finished
head.forward = keep
model_forward, model_outputs = model.forward, {}
def keep_outputs(*args, **kwargs):
    new_carry, outputs = model_forward(*args, **kwargs)
    model_outputs.update(outputs)
    return new_carry, outputs
model.forward = keep_outputs

golden = {"reference": REFERENCE, "entry": entry,
          "model": {"hidden_size": 16, "heads": 2, "layers": 2, "expansion": 1.0, "seq_len": SEQ, "vocab_size": VOCAB,
                    "puzzle_emb_len": 4, "puzzle_ids": 3, "puzzle_emb_ndim": 0, "pos_encoding": "rope", "mlp_t": False,
                    "T": 2, "n": 2, "N_sup": N_SUP, "step_embedding": dis},
          "train": {"batch": B, "steps": STEPS, "exploration": EXPLORATION, **settings},
          "samples": samples, "steps": [], "paths": []}
for t in range(STEPS):
    # The loader's batch: TRM draws a fresh batch every step (halted rows take theirs); DIS's rows all start together,
    # every N_sup steps, and only the batch of those steps is read.
    positions = range(t * B, (t + 1) * B) if not dis else range((t // N_SUP) * B, (t // N_SUP + 1) * B)
    for d in draws.values():
        d.clear()
    namespace["train_batch"](config, state, batch_of(positions), global_batch_size=B, rank=0, world_size=1)
    if ema is not None:
        ema.update(head)
    carry = state.carry
    record = {"loss": seen["loss"] / B, "lm_loss": seen["lm_loss"] / B, "q_halt": seen["q_halt"], "halted": carry.halted.tolist(),
              "steps": carry.steps.tolist(), "y": checksum(carry.inner_carry.z_H), "z": checksum(carry.inner_carry.z_L),
              "weights": sum(checksum(p) for p in head.parameters()), "puzzle_table": checksum(inner.puzzle_emb.weights)}
    if not dis and EXPLORATION > 0:   # the step's minima, as the reference computes them from its two draws
        record["minimum"] = ((draws["rand_like"][0] < EXPLORATION) * draws["randint_like"][0]).tolist()
    golden["steps"].append(record)
    if dis and t % N_SUP == 0:   # a new batch: the scores its paths were ordered by, and the frames they gave
        golden["paths"].append({"scores": draws["rand"][-1].tolist(), "frames": carry.intermediate_labels_path.tolist()})
golden["weights"] = {k.removeprefix("model.inner."): checksum(p) for k, p in head.named_parameters()}
golden["puzzle_table"] = inner.puzzle_emb.weights.flatten().tolist()
if ema is not None:
    golden["ema"] = {k.removeprefix("model.inner."): checksum(v) for k, v in ema.state_dict().items()}
json.dump(golden, open(os.path.join(out, mode + ".json"), "w"))
