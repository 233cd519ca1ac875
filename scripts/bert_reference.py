#!/usr/bin/env python3
"""Independent reference forward pass of an exported Quarry model directory, written from the Hugging Face
BERT definition (transformers/models/bert/modeling_bert.py: BertEmbeddings, BertSelfAttention, BertSelfOutput,
BertIntermediate with exact GELU, BertOutput), in NumPy only.

It reads config.json and model.safetensors by Hugging Face's parameter names, so it proves that an export is
loadable under those names with the standard [out, in] Linear layout, and that pooling and normalization follow
the directory's sentence-transformers files (1_Pooling/config.json, 2_Normalize).

A cross-encoder (config.json architectures BertForSequenceClassification, one label) is read the way
transformers reads it: backbone weights under "bert.", the pooler (dense + tanh on [CLS]) and "classifier".

A RoBERTa encoder (model_type roberta; transformers/models/roberta/modeling_roberta.py) is BERT's forward pass with
RobertaEmbeddings' position ids: padding_idx + the running count of non-padding tokens, so a text's first token
sits at position padding_idx + 1 (2 for pad_token_id 1); its weights may carry a "roberta." prefix.

Usage: bert_reference.py MODEL_DIR INPUT_JSON OUTPUT_JSON
  INPUT_JSON:  {"ids": [[101, ...], ...]}            token ids per text (no padding)
               {"ids": [...], "types": [...]}        for a cross-encoder: ids and segment ids per pair
  OUTPUT_JSON: {"embeddings": [[...], ...]}           one pooled embedding per text
               {"logits": [...]}                     for a cross-encoder: one logit per pair
"""
import json
import math
import os
import struct
import sys

import numpy as np


def read_safetensors(path, dtype=np.float64):
    """Every F32 tensor of a safetensors file by name, as NumPy arrays of dtype."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        assert t["dtype"] == "F32", (name, t["dtype"])
        begin, end = t["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(t["shape"]).astype(dtype)
    return tensors


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def linear(x, w, b):
    return x @ w.T + b


ERF = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1.0 + ERF(x / math.sqrt(2.0)))


def position_ids(cfg, ids):
    """BertEmbeddings: 0..n-1; RobertaEmbeddings (create_position_ids_from_input_ids): padding_idx + cumsum(mask)."""
    if cfg["model_type"] != "roberta":
        return np.arange(len(ids))
    padding = cfg["pad_token_id"]
    mask = (ids != padding).astype(np.int64)
    return np.cumsum(mask) * mask + padding


def forward(cfg, w, ids, types=None):
    n = len(ids)
    eps = cfg.get("layer_norm_eps", 1e-12)
    types = np.zeros(n, dtype=np.int64) if types is None else types
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][position_ids(cfg, ids)] \
        + w["embeddings.token_type_embeddings.weight"][types]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    heads = cfg["num_attention_heads"]
    d = cfg["hidden_size"] // heads
    for layer in range(cfg["num_hidden_layers"]):
        p = "encoder.layer.%d." % layer
        q = linear(x, w[p + "attention.self.query.weight"], w[p + "attention.self.query.bias"])
        k = linear(x, w[p + "attention.self.key.weight"], w[p + "attention.self.key.bias"])
        v = linear(x, w[p + "attention.self.value.weight"], w[p + "attention.self.value.bias"])
        q, k, v = (t.reshape(n, heads, d).transpose(1, 0, 2) for t in (q, k, v))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        ctx = (probs @ v).transpose(1, 0, 2).reshape(n, heads * d)
        a = linear(ctx, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
        x = layer_norm(a + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        h = gelu(linear(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
        h = linear(h, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
        x = layer_norm(h + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return x


def main():
    model_dir, input_json, output_json = sys.argv[1:4]
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    assert cfg["model_type"] in ("bert", "roberta") and cfg["hidden_act"] == "gelu"
    weights = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    if cfg["model_type"] == "roberta":
        weights = {k[len("roberta."):] if k.startswith("roberta.") else k: v for k, v in weights.items()}
    if cfg.get("architectures", [""])[0] == "BertForSequenceClassification":
        cross_encoder(cfg, weights, json.load(open(input_json)), output_json)
        return
    pooling = json.load(open(os.path.join(model_dir, "1_Pooling", "config.json")))
    modules = json.load(open(os.path.join(model_dir, "modules.json")))
    normalize = any(m["type"].endswith("Normalize") for m in modules)
    out = []
    for ids in json.load(open(input_json))["ids"]:
        hidden = forward(cfg, weights, np.array(ids))
        if pooling["pooling_mode_cls_token"]:
            e = hidden[0]
        else:
            assert pooling["pooling_mode_mean_tokens"]
            e = hidden.mean(0)
        if normalize:
            e = e / max(np.linalg.norm(e), 1e-12)
        out.append([float(v) for v in e])
    json.dump({"embeddings": out}, open(output_json, "w"))


def cross_encoder(cfg, weights, pairs, output_json):
    assert cfg.get("num_labels", len(cfg.get("id2label", {"0": 0}))) == 1
    backbone = {k[len("bert."):]: v for k, v in weights.items() if k.startswith("bert.")}
    logits = []
    for ids, types in zip(pairs["ids"], pairs["types"]):
        hidden = forward(cfg, backbone, np.array(ids), np.array(types))
        pooled = np.tanh(linear(hidden[0], backbone["pooler.dense.weight"], backbone["pooler.dense.bias"]))
        logits.append(float(linear(pooled, weights["classifier.weight"], weights["classifier.bias"])[0]))
    json.dump({"logits": logits}, open(output_json, "w"))


if __name__ == "__main__":
    main()
