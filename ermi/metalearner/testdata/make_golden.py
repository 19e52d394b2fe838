#!/usr/bin/python3
"""Writes golden.json + golden.bin: the paper's meta-learner in PyTorch 1.13 on fixed inputs.

The network is paper_model.Decoder. Loss: nn.BCELoss on sigmoid outputs of the valid trials; Adam lr 3e-4.

Every parameter is perturbed after PyTorch's initialisation so that the layers differ (the paper's
layers start identical, which would hide a layer-indexing bug). Dropout is off (eval mode) so that the
step is deterministic.

Run with Debian's python3-torch 1.13:  cd testdata && /usr/bin/python3 make_golden.py
"""
import json
import struct

import torch
import torch.nn as nn

from paper_model import Decoder

D, D_MODEL, HEADS, FF, LAYERS, MAX_STEPS = 3, 64, 8, 256, 6, 20
B, T = 3, 12
LENGTHS = [12, 9, 5]
LR = 3e-4
SAMPLE_STRIDE = 5  # the post-step weights are stored at every 5th value


def main():
    torch.manual_seed(2402)
    net = Decoder(D, MAX_STEPS, D_MODEL, HEADS, FF, LAYERS)
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
