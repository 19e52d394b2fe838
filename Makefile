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

.PHONY: all setup deps build test vet fuzz bench run summary notebook-deps notebooks screenshots lab clean

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

# test runs go vet and every Go test (the headless-browser test included: KERNELEXT_BROWSER_TEST
# makes it fail, not skip, without a browser), then executes the notebooks and checks their charts
# in the browser (notebooks).
test: vet notebook-deps
	KERNELEXT_BROWSER_TEST=required go test -count=1 ./...
	$(MAKE) --no-print-directory notebooks

# fuzz runs each fuzz target for FUZZTIME (not part of `make test`).
FUZZTIME ?= 60s
fuzz: setup
	go test ./ermi/tasks -run '^$$' -fuzz FuzzParseInputList -fuzztime $(FUZZTIME)
	go test ./ermi/tasks -run '^$$' -fuzz FuzzReader -fuzztime $(FUZZTIME)
	go test ./ermi/llm -run '^$$' -fuzz FuzzParseData -fuzztime $(FUZZTIME)

# bench times the meta-learner in Go and in Debian's PyTorch 1.13 (2 threads) on the same shapes
# and prints the ratios Go/PyTorch. It installs python3-torch and OpenBLAS if missing (Debian/Ubuntu).
BENCHREPS ?= 3
bench: setup
	@/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "installing Debian's python3-torch"; sudo -n true 2>/dev/null && SUDO=sudo; $$SUDO apt-get install -y python3-torch; }
	@# Without OpenBLAS, Debian's torch runs on the reference BLAS (several times slower).
	@ls /usr/lib/*/libopenblas.so.0 >/dev/null 2>&1 || { echo "installing OpenBLAS for PyTorch"; sudo -n true 2>/dev/null && SUDO=sudo; $$SUDO apt-get install -y libopenblas0-openmp; }
	/usr/bin/python3 ermi/metalearner/testdata/bench_ratio.py -reps $(BENCHREPS)

# run is the main job on the shipped data: inspect the LLM-generated tasks, draw tasks from the
# three synthetic priors and inspect those, then execute the five notebooks headless (notebooks).
run: summary notebooks
	@echo
	@echo "== Done. Executed notebooks and their HTML exports are in $(OUT)/notebooks/ (open the .html in a browser,"
	@echo "   no network needed); run them cell by cell with: make lab"

summary: build
	@mkdir -p $(OUT)/priors
	@echo "== LLM-generated tasks shipped in datasets/ (max_steps 300, as the paper's 4-D model)"
	$(BIN) tasks info -max-steps 300 $(TASKS)
	@echo
	@echo "== Synthetic priors (3 features, 100 trials, 1000 tasks each, seed 1)"
	@for p in linear mlp rmc; do $(BIN) priors -prior $$p -dims 3 -tasks 1000 -trials 100 -seed 1 -out $(OUT)/priors/$$p-3d.csv || exit 1; done
	$(BIN) tasks info -strict $(OUT)/priors/linear-3d.csv $(OUT)/priors/mlp-3d.csv $(OUT)/priors/rmc-3d.csv

# notebook-deps installs what the notebooks need, from Debian's or Ubuntu's packages where missing:
# Jupyter (classic Notebook, nbconvert, nbclient) and Chromium (the chart check); then, in
# out/tools, the GoNB kernel with goimports and gopls, registered for this user with the project's
# build settings.
TOOLS := $(CURDIR)/$(OUT)/tools
NOTEBOOK_DEBS := jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel chromium
JUPYTER ?= /usr/bin/jupyter
notebook-deps: setup
	@if command -v dpkg >/dev/null; then \
		missing=; for p in $(NOTEBOOK_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then echo "installing$$missing"; SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
			$$SUDO apt-get install -y $$missing || { $$SUDO apt-get update && $$SUDO apt-get install -y $$missing; }; fi; \
	else [ -x "$(JUPYTER)" ] || { echo "make: no $(JUPYTER): install JupyterLab (python3 -m pip install jupyterlab nbconvert) and set JUPYTER=its jupyter command" >&2; exit 1; }; fi
	@mkdir -p $(TOOLS)
	@[ -f $(TOOLS)/go.mod ] || (cd $(TOOLS) && go mod init tools >/dev/null)
	cd $(TOOLS) && go get github.com/janpfeifer/gonb@v0.11.5 golang.org/x/tools/cmd/goimports@v0.38.0 && \
		GOBIN=$(TOOLS)/bin go install github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports
	[ -x $(TOOLS)/bin/gopls ] || GOBIN=$(TOOLS)/bin go install golang.org/x/tools/gopls@v0.20.0
	PATH=$(TOOLS)/bin:$$PATH gonb --install >/dev/null
	/usr/bin/python3 notebooks/set_kernel_env.py $(TOOLS)/bin

# notebooks executes every notebook headless with the GoNB kernel (a failing cell fails the
# target), writes the executed notebooks and their HTML exports to out/notebooks/, and opens each
# export in headless Chromium with the network off: every chart must be drawn on a canvas
# (kernelext/cmd/chartcheck), and a screenshot of each lands in out/notebooks/screenshots/
# (`make screenshots` copies them to docs/screenshots/, which the README shows).
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
notebooks: build notebook-deps
	@mkdir -p $(OUT)/notebooks
	go build -o bin/chartcheck ./kernelext/cmd/chartcheck
	@for nb in $(NOTEBOOKS); do name=$$(basename $$nb .ipynb); echo "== $$nb"; start=$$(date +%s); \
		$(JUPYTER) nbconvert --to notebook --execute $$nb --ExecutePreprocessor.kernel_name=gonb \
			--ExecutePreprocessor.timeout=1200 --output-dir $(OUT)/notebooks 2>$(OUT)/notebooks/$$name.log || \
			{ tail -30 $(OUT)/notebooks/$$name.log; echo "make: $$nb failed; its log: $(OUT)/notebooks/$$name.log" >&2; exit 1; }; \
		$(JUPYTER) nbconvert --to html $(OUT)/notebooks/$$name.ipynb 2>>$(OUT)/notebooks/$$name.log || exit 1; \
		echo "   executed in $$(( $$(date +%s) - start )) s: $(OUT)/notebooks/$$name.ipynb, $(OUT)/notebooks/$$name.html"; done
	bin/chartcheck -shots $(OUT)/notebooks/screenshots -focus 2-training=1 $(patsubst notebooks/%.ipynb,$(OUT)/notebooks/%.html,$(NOTEBOOKS))

screenshots:
	@[ -d $(OUT)/notebooks/screenshots ] || { echo "make: no screenshots yet: run make notebooks first" >&2; exit 1; }
	mkdir -p docs/screenshots && cp $(OUT)/notebooks/screenshots/*.png docs/screenshots/

# lab starts the classic Notebook (or JupyterLab where installed) on 127.0.0.1 in notebooks/.
lab: notebook-deps
	@if command -v jupyter-lab >/dev/null; then jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks; \
	else $(JUPYTER) notebook --ip=127.0.0.1 --notebook-dir=notebooks; fi

clean:
	rm -rf bin $(OUT)
