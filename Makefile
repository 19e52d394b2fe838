# ERMI in Go. `make run` sets up and runs the main job; `make test` runs every test.
# Every Go command runs with the same settings: the Go 1.27 toolchain (fetched through the
# module proxy by the local go command), Go's SIMD experiment (GoMLX's fast pure-Go kernels),
# and the pure-Go GoMLX backend unless GOMLX_BACKEND names another.

SHELL := /bin/bash
GO_TOOLCHAIN := go1.27.0
export GOTOOLCHAIN := $(GO_TOOLCHAIN)
export GOEXPERIMENT := simd
# GOTAGS=noxla builds the pure-Go backend only. Where a PJRT plugin is installed (a CUDA machine with
# JAX's plugin, say), `make GOTAGS= build` compiles XLA in and GOMLX_BACKEND=xla:/path/to/xla_cuda_plugin.so selects it (README).
GOTAGS ?= noxla
export GOFLAGS := -tags=$(GOTAGS) -buildvcs=false
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin

BIN := bin/ermi
OUT := out
TASKS := $(wildcard datasets/tasks/*/*.csv)

.PHONY: all setup deps build test vet fuzz bench run notebooks lab clean

all: build

# setup checks for a Go command (any version from 1.21 on can fetch the pinned toolchain)
# and downloads the pinned modules.
setup: deps
	@command -v go >/dev/null || { echo "make: no 'go' command found. Install Go (https://go.dev/dl/ or 'apt-get install golang' on Debian 13+), then rerun." >&2; exit 1; }
	@go version
	go mod download

# deps installs the C libraries the OpenML baselines call through cgo (libsvm, libxgboost) and a C
# compiler, from Debian's or Ubuntu's packages when missing. On macOS: brew install libsvm xgboost,
# with CGO_CFLAGS=-I$$(brew --prefix)/include CGO_LDFLAGS=-L$$(brew --prefix)/lib (README).
DEBS := gcc libc6-dev libsvm-dev libxgboost-dev
deps:
	@if command -v gcc >/dev/null && [ -f /usr/include/libsvm/svm.h -o -f /usr/include/svm.h -o -n "$$CGO_CFLAGS" ] && [ -f /usr/include/xgboost/c_api.h -o -n "$$CGO_CFLAGS" ]; then :; \
	elif command -v apt-get >/dev/null; then \
		echo "installing $(DEBS)"; SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get install -y $(DEBS) || { $$SUDO apt-get update && $$SUDO apt-get install -y $(DEBS); }; \
	else echo "make: need a C compiler, libsvm and xgboost (macOS: brew install libsvm xgboost; see README)" >&2; exit 1; fi

build: setup
	go build -o $(BIN) ./ermi/cmd/ermi

vet: setup
	go vet ./...

test: vet
	go test -count=1 ./...

# fuzz runs each fuzz target for FUZZTIME (not part of `make test`).
FUZZTIME ?= 60s
fuzz: setup
	go test ./ermi/tasks -run '^$$' -fuzz FuzzParseInputList -fuzztime $(FUZZTIME)
	go test ./ermi/tasks -run '^$$' -fuzz FuzzReader -fuzztime $(FUZZTIME)
	go test ./ermi/llm -run '^$$' -fuzz FuzzParseData -fuzztime $(FUZZTIME)

# bench times the meta-learner in Go and in Debian's PyTorch 1.13 (2 threads) on the same shapes
# and prints the ratios Go/PyTorch. It installs python3-torch if missing (Debian/Ubuntu).
BENCHREPS ?= 3
bench: setup
	@/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "installing Debian's python3-torch"; sudo -n true 2>/dev/null && SUDO=sudo; $$SUDO apt-get install -y python3-torch; }
	/usr/bin/python3 ermi/metalearner/testdata/bench_ratio.py -reps $(BENCHREPS)

# run is the main job on the shipped data: inspect the LLM-generated tasks, draw tasks from the
# three synthetic priors, and inspect those.
run: build
	@mkdir -p $(OUT)/priors
	@echo "== LLM-generated tasks shipped in datasets/ (max_steps 300, as the paper's 4-D model)"
	$(BIN) tasks info -max-steps 300 $(TASKS)
	@echo
	@echo "== Synthetic priors (3 features, 100 trials, 1000 tasks each, seed 1)"
	@for p in linear mlp rmc; do $(BIN) priors -prior $$p -dims 3 -tasks 1000 -trials 100 -seed 1 -out $(OUT)/priors/$$p-3d.csv || exit 1; done
	$(BIN) tasks info -strict $(OUT)/priors/linear-3d.csv $(OUT)/priors/mlp-3d.csv $(OUT)/priors/rmc-3d.csv

# notebooks installs Debian's Jupyter (classic Notebook and nbconvert), the GoNB kernel with
# goimports and gopls, and executes every notebook headless (a failing cell fails the target), writing the
# executed notebooks and their HTML exports (charts included, no network needed) to out/notebooks/.
TOOLS := $(CURDIR)/$(OUT)/tools
JUPYTER_DEBS := jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel
notebooks: build
	@[ -x /usr/bin/jupyter-nbconvert ] || { echo "installing $(JUPYTER_DEBS)"; SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get install -y $(JUPYTER_DEBS) || { $$SUDO apt-get update && $$SUDO apt-get install -y $(JUPYTER_DEBS); }; }
	@mkdir -p $(TOOLS) $(OUT)/notebooks
	@[ -f $(TOOLS)/go.mod ] || (cd $(TOOLS) && go mod init tools >/dev/null)
	cd $(TOOLS) && go get github.com/janpfeifer/gonb@v0.11.5 golang.org/x/tools/cmd/goimports@v0.38.0 && \
		GOBIN=$(TOOLS)/bin go install github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports
	[ -x $(TOOLS)/bin/gopls ] || GOBIN=$(TOOLS)/bin go install golang.org/x/tools/gopls@v0.20.0
	PATH=$(TOOLS)/bin:$$PATH gonb --install >/dev/null
	/usr/bin/python3 notebooks/set_kernel_env.py $(TOOLS)/bin
	@for nb in notebooks/*.ipynb; do echo "== $$nb"; \
		/usr/bin/jupyter nbconvert --to notebook --execute $$nb --ExecutePreprocessor.kernel_name=gonb \
			--ExecutePreprocessor.timeout=1200 --output-dir $(OUT)/notebooks 2>$(OUT)/notebooks/$$(basename $$nb .ipynb).log || \
			{ tail -30 $(OUT)/notebooks/$$(basename $$nb .ipynb).log; exit 1; }; \
		/usr/bin/jupyter nbconvert --to html $(OUT)/notebooks/$$(basename $$nb) 2>/dev/null || exit 1; done
	@echo "executed notebooks and HTML exports in $(OUT)/notebooks/; open them with: make lab"

# lab starts the classic Notebook (or JupyterLab where installed) on 127.0.0.1 in notebooks/.
lab:
	@if command -v jupyter-lab >/dev/null; then jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks; \
	else /usr/bin/jupyter notebook --ip=127.0.0.1 --notebook-dir=notebooks; fi

clean:
	rm -rf bin $(OUT)
