"""The paper's meta-learner in PyTorch, written from the spec (shared/research/ermi-method.md §3).

Linear(D+1 -> 64), sinusoidal positions (PyTorch tutorial), dropout 0.1, nn.TransformerDecoder of 6
post-LN nn.TransformerDecoderLayer(64, 8 heads, 256, batch_first=True), called as
transformer(tgt=h, memory=h, tgt_mask=M, memory_mask=M) with M the causal -inf/0 mask, no final
LayerNorm, Linear(64 -> 1). Used by make_golden.py and bench_ratio.py.
"""
import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len, dropout=0.1):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.dropout(x + self.pe[:, : x.size(1), :])


class Decoder(nn.Module):
    def __init__(self, dims, max_steps, d_model=64, heads=8, ff=256, layers=6, dropout=0.1):
        super().__init__()
        self.embedding = nn.Linear(dims + 1, d_model)
        self.pe = PositionalEncoding(d_model, max_steps, dropout)
        layer = nn.TransformerDecoderLayer(d_model, heads, ff, dropout, batch_first=True)
        self.transformer = nn.TransformerDecoder(layer, layers)
        self.linear = nn.Linear(d_model, 1)

    def forward(self, x):
        t = x.shape[1]
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        h = self.pe(self.embedding(x))
        out = self.transformer(tgt=h, memory=h, tgt_mask=mask, memory_mask=mask)
        return self.linear(out).squeeze(-1)  # logits; the paper returns sigmoid(beta * logits)
