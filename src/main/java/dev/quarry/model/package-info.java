/**
 * Encoders: BERT on DJL's PyTorch engine (training and libtorch inference), ONNX reading, writing and weight import,
 * the inference engines (libtorch, ONNX Runtime fp32 and int8), safetensors, model directories, recipes (Quarry's and
 * sentence-transformers') and the text encoder. May import {@code io} and {@code util}.
 */
package dev.quarry.model;
