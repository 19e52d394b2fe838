#!/usr/bin/python3
"""Times the meta-learner in Go (the package's benchmarks) and in PyTorch on the same shapes, and
prints the ratio Go / PyTorch for each (below 1: Go is faster).

Shapes: one training step (forward, BCE over all trials, backward, Adam) at batch 64 x 100 trials,
3 features and batch 32 x 300 trials, 4 features; one forward pass at 70 x 31 x 4 (an OpenML split).
PyTorch runs with 2 threads (torch.set_num_threads), as the Go backend uses this machine's cores.

Run from the repository root as `make bench` (which sets the project's Go build settings), or
  /usr/bin/python3 ermi/metalearner/testdata/bench_ratio.py [-reps N]
with Debian's python3-torch 1.13.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paper_model import Decoder  # noqa: E402

TRAIN = [("B64_T100_D3", 64, 100, 3), ("B32_T300_D4", 32, 300, 4)]
FORWARD = [("B70_T31_D4", 70, 31, 4)]


def torch_seconds(kind, b, t, d, reps):
    torch.manual_seed(0)
    max_steps = t if kind == "train" else 300
    net = Decoder(d, max_steps)
    x = torch.rand(b, t, d + 1)
    y = (torch.rand(b, t) > 0.5).float()
    opt = torch.optim.Adam(net.parameters(), lr=3e-4)
    loss_fn = nn.BCELoss()

    def step():
        if kind == "train":
            net.train()
            opt.zero_grad()
            loss = loss_fn(torch.sigmoid(net(x)).reshape(-1), y.reshape(-1))
            loss.backward()
            opt.step()
        else:
            net.eval()
            with torch.no_grad():
                net(x)

    step()  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def go_seconds(reps):
    cmd = ["go", "test", "-run", "^$", "-bench", "TrainStep/B(64|32)_|Forward", "-benchtime", f"{reps}x", "./ermi/metalearner/"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    times = {}
    for m in re.finditer(r"Benchmark(\w+)/(\w+)-\d+\s+\d+\s+(\d+) ns/op", out):
        times[(m.group(1), m.group(2))] = int(m.group(3)) / 1e9
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-reps", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(2)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; Go: {os.environ.get('GOEXPERIMENT', '')!r} experiment, "
          f"backend {os.environ.get('GOMLX_BACKEND', 'metalearner.GoBackendConfig (go:num_executors=2)')}", flush=True)
    go = go_seconds(args.reps)
    print(f"{'benchmark':<28} {'Go s':>8} {'PyTorch s':>10} {'Go/PyTorch':>11}")
    for bench, shapes, kind in (("TrainStep", TRAIN, "train"), ("Forward", FORWARD, "forward")):
        for name, b, t, d in shapes:
            ts = torch_seconds(kind, b, t, d, args.reps)
            gs = go.get((bench, name))
            if gs is None:
                print(f"{bench}/{name}: no Go result", file=sys.stderr)
                sys.exit(1)
            print(f"{bench + '/' + name:<28} {gs:>8.3f} {ts:>10.3f} {gs / ts:>11.2f}", flush=True)


if __name__ == "__main__":
    main()
