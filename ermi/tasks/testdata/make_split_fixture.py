#!/usr/bin/python3
"""Writes split_bounds.csv: the paper's 80/10/10 split points as PyTorch computes them.

envs.py: self.split = (torch.tensor([s0, s0+s1, s0+s1+s2]) * n).int()
Run with Debian's python3-torch 1.13:  /usr/bin/python3 make_split_fixture.py > split_bounds.csv
"""
import torch

split = [0.8, 0.1, 0.1]
print("n,train_end,val_end,test_end")
for n in list(range(1, 1001)) + [8950, 11518, 12910, 13693, 20690, 23421]:
    a, b, c = (torch.tensor([split[0], split[0] + split[1], split[0] + split[1] + split[2]]) * n).int().tolist()
    print(f"{n},{a},{b},{c}")
