#!/usr/bin/python3
"""Sets the environment of the installed GoNB kernel (kernel.json, written by
`gonb --install`) so that Jupyter, started from any shell, finds gonb,
goimports and go, and builds cells with the project's settings (the Go 1.27
toolchain, the SIMD experiment, the pure-Go GoMLX backend).

Usage: set_kernel_env.py TOOLS_BIN_DIR"""
import json, os, shutil, sys

spec = os.path.expanduser("~/.local/share/jupyter/kernels/gonb/kernel.json")
k = json.load(open(spec))
path = [sys.argv[1]]
go = shutil.which("go")
if go:
    path.append(os.path.dirname(go))
path.append(os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"))
k["env"] = {"PATH": ":".join(path), "GOTOOLCHAIN": "go1.27.0", "GOEXPERIMENT": "simd",
            "GOFLAGS": "-tags=noxla -buildvcs=false"}
json.dump(k, open(spec, "w"), indent=1)
print("GoNB kernel environment set in", spec)
