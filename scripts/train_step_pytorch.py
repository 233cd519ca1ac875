#!/usr/bin/env python3
"""One DPR training step in plain PyTorch (no transformers), the counterpart of Quarry's TrainStepBenchmark: a BERT
written from the Hugging Face definition (transformers/models/bert/modeling_bert.py: BertEmbeddings,
BertSelfAttention, BertSelfOutput, BertIntermediate with exact GELU, BertOutput; dropout on the embeddings, the
attention probabilities and both residual branches), loaded by Hugging Face names from a Quarry model directory's
model.safetensors, then mean pooling and L2 normalization (or CLS pooling, per quarry.json), InfoNCE at temperature
0.05 over the passage pool, backward, clip_grad_norm_(1.0), AdamW(lr 2e-5, weight decay 0.01, none on biases and
LayerNorm weights, as Quarry's AdamW) and zero_grad.

Usage: train_step_pytorch.py MODEL_DIR [--steps 10] [--warmup 3] [--ids BATCH_JSON] [--threads N] [--breakdown]
                             [--profile TRACE_JSON]
  BATCH_JSON: {"queries": [[ids]], "passages": [[ids]], "positives": [rows]} (TrainStepBenchmark ids=FILE writes it);
  without it a seeded batch of 32 queries x 32 tokens and 64 passages x 128 tokens is drawn.
Prints one JSON line: {"median_s": ..., "mean_s": ..., ...}.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bert_reference  # noqa: E402  (the same folder: one safetensors reader for both scripts)

# a step is quiet when other processes left its threads their CPUs: they used less than the spare processors plus
# this many CPUs on average while it ran
QUIET_CPUS = 0.1


def machine_busy_seconds():
    """Busy CPU seconds of the whole machine (user, nice, system, irq, softirq in /proc/stat), or NaN."""
    try:
        with open("/proc/stat") as f:
            t = [int(v) for v in f.readline().split()[1:]]
        return (t[0] + t[1] + t[2] + t[5] + t[6]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def read_safetensors(path):
    return {k: torch.from_numpy(v) for k, v in bert_reference.read_safetensors(path, np.float32).items()}


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, ids, types):
        positions = torch.arange(ids.shape[1], dtype=torch.long).unsqueeze(0)
        x = self.word_embeddings(ids) + self.token_type_embeddings(types) + self.position_embeddings(positions)
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c["num_attention_heads"]
        self.head_size = c["hidden_size"] // self.heads
        self.query = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.key = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.value = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])

    def split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.heads, self.head_size).permute(0, 2, 1, 3)

    def forward(self, x, mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_size)
        if mask is not None:
            scores = scores + mask
        probs = self.dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.shape[0], ctx.shape[1], -1)


class DenseNormOut(nn.Module):
    """BertSelfOutput / BertOutput: dense, dropout, residual, LayerNorm."""

    def __init__(self, c, inputs):
        super().__init__()
        self.dense = nn.Linear(inputs, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, h, residual):
        return self.LayerNorm(self.dropout(self.dense(h)) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNormOut(c, c["hidden_size"])

    def forward(self, x, mask):
        return self.output(self.self(x, mask), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))   # exact (erf) GELU, hidden_act "gelu"


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNormOut(c, c["intermediate_size"])

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)

    def forward(self, ids, attention_mask):
        x = self.embeddings(ids, torch.zeros_like(ids))
        # additive mask as transformers builds it; none when nothing is padded (as Quarry)
        mask = None
        if not bool(attention_mask.all()):
            mask = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.encoder.layer:
            x = layer(x, mask)
        return x


def load(model_dir):
    c = json.load(open(os.path.join(model_dir, "config.json")))
    assert c["model_type"] == "bert" and c["hidden_act"] == "gelu", c
    model = Bert(c)
    weights = {k[len("bert."):] if k.startswith("bert.") else k: v
               for k, v in read_safetensors(os.path.join(model_dir, "model.safetensors")).items()}
    weights = {k: v for k, v in weights.items() if not k.startswith("pooler.")
               and k != "embeddings.position_ids"}
    missing, unexpected = model.load_state_dict(weights, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    recipe = {"pooling": "cls", "normalize": False}
    q = os.path.join(model_dir, "quarry.json")
    if os.path.exists(q):
        recipe = json.load(open(q))["recipe"]
    return model, recipe


def embed(model, recipe, ids):
    mask = torch.ones_like(ids)
    hidden = model(ids, mask)
    if recipe["pooling"] == "cls":
        e = hidden[:, 0]
    else:
        m = mask.unsqueeze(-1).float()
        e = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
    if recipe["normalize"]:
        e = nn.functional.normalize(e, p=2, dim=1, eps=1e-12)
    return e


def info_nce(q, p, positives, temperature):
    scores = q @ p.T / temperature
    return nn.functional.cross_entropy(scores, positives)


def rows(rng, count, length, vocab):
    ids = rng.integers(1000, vocab, size=(count, length))
    ids[:, 0] = 101
    ids[:, -1] = 102
    return torch.from_numpy(ids.astype(np.int64))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--ids")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--temperature", type=float, default=0.05)
    ap.add_argument("--profile", metavar="FILE", help="write a Chrome trace of one step (after the timed ones)")
    ap.add_argument("--breakdown", action="store_true", help="also time each phase of the step (to stderr)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model, recipe = load(args.model_dir)
    if args.ids:
        b = json.load(open(args.ids))
        queries = torch.tensor(b["queries"], dtype=torch.long)
        passages = torch.tensor(b["passages"], dtype=torch.long)
        positives = torch.tensor(b["positives"], dtype=torch.long)
    else:
        rng = np.random.default_rng(1)
        vocab = model.embeddings.word_embeddings.num_embeddings
        queries, passages = rows(rng, 32, 32, vocab), rows(rng, 64, 128, vocab)
        positives = torch.arange(32, dtype=torch.long) * 2

    model.eval()
    with torch.no_grad():
        initial = info_nce(embed(model, recipe, queries), embed(model, recipe, passages), positives,
                           args.temperature).item()
    model.train()
    decay = [p for n, p in model.named_parameters() if not n.endswith(".bias") and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if n.endswith(".bias") or "LayerNorm" in n]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=2e-5, betas=(0.9, 0.999), eps=1e-8)

    def step():
        optimizer.zero_grad()
        loss = info_nce(embed(model, recipe, queries), embed(model, recipe, passages), positives, args.temperature)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    seconds = []
    losses = []
    others = []
    for _ in range(args.steps):
        m0, c0 = machine_busy_seconds(), time.process_time()
        t0 = time.perf_counter()
        losses.append(step())
        seconds.append(time.perf_counter() - t0)
        others.append((machine_busy_seconds() - m0 - (time.process_time() - c0)) / seconds[-1])
    free = os.cpu_count() - torch.get_num_threads() + QUIET_CPUS
    quiet = [s for s, o in zip(seconds, others) if o < free]
    if args.profile:
        with torch.autograd.profiler.profile(record_shapes=True) as prof:
            step()
        prof.export_chrome_trace(args.profile)
        print("profile of one step written to " + args.profile, file=sys.stderr)
    if args.breakdown:
        phases = ["zero grads", "forward q", "forward p", "loss", "backward", "clip", "adamw", "total"]
        timed = []
        for i in range(args.warmup + args.steps):
            t = [time.perf_counter()]
            optimizer.zero_grad()
            t.append(time.perf_counter())
            q = embed(model, recipe, queries)
            t.append(time.perf_counter())
            p = embed(model, recipe, passages)
            t.append(time.perf_counter())
            loss = info_nce(q, p, positives, args.temperature)
            loss.item()
            t.append(time.perf_counter())
            loss.backward()
            t.append(time.perf_counter())
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            t.append(time.perf_counter())
            optimizer.step()
            t.append(time.perf_counter())
            if i >= args.warmup:
                timed.append([b - a for a, b in zip(t, t[1:])] + [t[-1] - t[0]])
        inference = []
        for i in range(args.warmup + args.steps):
            t0 = time.perf_counter()
            with torch.no_grad():
                embed(model, recipe, queries)
                embed(model, recipe, passages)
            if i >= args.warmup:
                inference.append(time.perf_counter() - t0)
        print("breakdown of the step (seconds, median / mean over %d steps):" % args.steps, file=sys.stderr)
        for k, name in enumerate(phases):
            xs = [t[k] for t in timed]
            print("  %-12s %8.4f / %8.4f" % (name, statistics.median(xs), statistics.mean(xs)), file=sys.stderr)
        print("  %-12s %8.4f / %8.4f  (forward q+p without a graph, dropout on)"
              % ("no-grad fwd", statistics.median(inference), statistics.mean(inference)), file=sys.stderr)
    print(json.dumps({"framework": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "queries": list(queries.shape), "passages": list(passages.shape),
                      "initial_loss_no_dropout": round(initial, 6), "last_loss": round(losses[-1], 6),
                      "warmup": args.warmup, "steps": args.steps, "median_s": statistics.median(seconds),
                      "mean_s": statistics.mean(seconds), "min_s": min(seconds), "max_s": max(seconds),
                      "others_cpus_median": round(statistics.median(others), 3), "quiet_steps": len(quiet),
                      "quiet_median_s": statistics.median(quiet) if quiet else None,
                      "seconds": [round(s, 4) for s in seconds]}))


if __name__ == "__main__":
    main()
