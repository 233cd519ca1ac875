"""SQuAD v1.1's answer scores as its official evaluate-v1.1.py computes them (normalize_answer, exact_match_score,
f1_score, max over gold answers), written from that script, for SquadAnswerScoresTest to compare Quarry's against.

Usage: python3 scripts/squad_scores.py CASES.json -> prints one JSON line per case: {"normalized", "em", "f1"}.
CASES.json is a list of {"prediction": str, "golds": [str, ...]}.
"""
import json
import re
import string
import sys
from collections import Counter


def normalize_answer(s):
    def remove_articles(text):
        return re.sub(r'\b(a|an|the)\b', ' ', text)

    def white_space_fix(text):
        return ' '.join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def f1_score(prediction, ground_truth):
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    return (2 * precision * recall) / (precision + recall)


def exact_match_score(prediction, ground_truth):
    return normalize_answer(prediction) == normalize_answer(ground_truth)


def metric_max_over_ground_truths(metric_fn, prediction, ground_truths):
    return max(metric_fn(prediction, gt) for gt in ground_truths)


with open(sys.argv[1], encoding='utf-8') as f:
    cases = json.load(f)
for case in cases:
    p, golds = case['prediction'], case['golds']
    print(json.dumps({'normalized': normalize_answer(p),
                      'em': float(metric_max_over_ground_truths(exact_match_score, p, golds)),
                      'f1': float(metric_max_over_ground_truths(f1_score, p, golds))}))
