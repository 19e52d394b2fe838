#!/usr/bin/python3
"""Writes golden.json + golden.bin: the paper's meta-learner in PyTorch 1.13 on fixed inputs.

The network follows the paper's TransformerDecoder (categorisation/mi/model.py) as the spec describes it:
Linear(D+1 -> 64), sinusoidal positions (PyTorch tutorial), dropout 0.1, nn.TransformerDecoder of 6
post-LN nn.TransformerDecoderLayer(64, 8 heads, 256, batch_first=True), called as
transformer(tgt=h, memory=h, tgt_mask=M, memory_mask=M) with M the causal -inf/0 mask, no final
LayerNorm, Linear(64 -> 1). Loss: nn.BCELoss on sigmoid outputs of the valid trials; Adam lr 3e-4.

Every parameter is perturbed after PyTorch's initialisation so that the layers differ (the paper's
layers start identical, which would hide a layer-indexing bug). Dropout is off (eval mode) so that the
step is deterministic.

Run with Debian's python3-torch 1.13:  cd testdata && /usr/bin/python3 make_golden.py
"""
import json
import math
import struct

import torch
import torch.nn as nn

D, D_MODEL, HEADS, FF, LAYERS, MAX_STEPS = 3, 64, 8, 256, 6, 20
B, T = 3, 12
LENGTHS = [12, 9, 5]
LR = 3e-4
SAMPLE_STRIDE = 5  # the post-step weights are stored at every 5th value


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
    def __init__(self):
        super().__init__()
        self.embedding = nn.Linear(D + 1, D_MODEL)
        self.pe = PositionalEncoding(D_MODEL, MAX_STEPS, 0.1)
        layer = nn.TransformerDecoderLayer(D_MODEL, HEADS, FF, 0.1, batch_first=True)
        self.transformer = nn.TransformerDecoder(layer, LAYERS)
        self.linear = nn.Linear(D_MODEL, 1)

    def forward(self, x):
        t = x.shape[1]
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        h = self.pe(self.embedding(x))
        out = self.transformer(tgt=h, memory=h, tgt_mask=mask, memory_mask=mask)
        return self.linear(out).squeeze(-1)  # logits; the paper returns sigmoid(beta * logits)


def main():
    torch.manual_seed(2402)
    net = Decoder()
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.add_(0.05 * torch.randn_like(p))
    net.eval()

    x = torch.rand(B, T, D + 1)
    y = (torch.rand(B, T) > 0.5).float()
    for b, n in enumerate(LENGTHS):
        x[b, :, D] = torch.cat([torch.tensor([1.0 if b % 2 else 0.0]), y[b, :-1]])
        x[b, n:] = 0
        y[b, n:] = 0

    params = {k: v.detach().clone() for k, v in net.named_parameters()}
    logits = net(x)
    probs = torch.cat([torch.sigmoid(logits[b, :n]) for b, n in enumerate(LENGTHS)])
    targets = torch.cat([y[b, :n] for b, n in enumerate(LENGTHS)])
    loss = nn.BCELoss()(probs, targets)
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    opt.zero_grad()
    loss.backward()
    grads = {k: v.grad.detach().clone() for k, v in net.named_parameters()}
    opt.step()
    after = {k: v.detach().clone() for k, v in net.named_parameters()}

    blob = bytearray()
    index = []

    def put(kind, name, t):
        flat = t.reshape(-1).tolist()
        index.append({"kind": kind, "name": name, "shape": list(t.shape), "offset": len(blob) // 4, "count": len(flat)})
        blob.extend(struct.pack("<%df" % len(flat), *flat))

    for name in params:
        put("param", name, params[name])
        put("grad", name, grads[name])
        put("after", name, after[name].reshape(-1)[::SAMPLE_STRIDE])
    put("pe", "pe", net.pe.pe[0])
    put("input", "x", x)
    put("input", "y", y)
    put("output", "logits", logits.detach())
    meta = {
        "torch": torch.__version__, "dims": D, "d_model": D_MODEL, "heads": HEADS, "ff": FF, "layers": LAYERS,
        "max_steps": MAX_STEPS, "batch": B, "trials": T, "lengths": LENGTHS, "lr": LR,
        "sample_stride": SAMPLE_STRIDE, "loss": loss.item(), "tensors": index,
    }
    with open("golden.json", "w") as f:
        json.dump(meta, f, indent=1)
    with open("golden.bin", "wb") as f:
        f.write(bytes(blob))
    print("loss", loss.item(), "values", len(blob) // 4)


if __name__ == "__main__":
    main()
