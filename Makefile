# latih: the two commands of the README, plus helpers.
#   make demo   install missing Debian packages, build, run the demo job (a real
#               server and two office devices; the server is left running)
#   make demo-stop  stop the demo server
#   make test   the same set-up, then every test (ctest), then the fuzzers
#               for FUZZ_SECONDS each
#   make fuzz   only the fuzzers (tests/fuzz/), in their own clang build
# Both are idempotent. BUILD selects the build directory.

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= 2
# Seconds each libFuzzer target runs in `make fuzz` (and `make test`).
FUZZ_SECONDS ?= 30
SUDO       := $(if $(filter 0,$(shell id -u)),,sudo)

# Debian 12 packages needed to build and test (README "Dependencies").
DEB_PACKAGES := cmake ninja-build g++ pkg-config sqlite3 libsqlite3-dev libssl-dev zlib1g-dev \
                nlohmann-json3-dev catch2 libcli11-dev libcurl4-openssl-dev libcpprest-dev \
                nginx-light openssl clang libclang-rt-14-dev iproute2 nftables libfaketime \
                libjs-chart.js chromium python3 curl bsdextrautils \
                libpq-dev postgresql-15 libncurses-dev tmux libqrencode-dev

.PHONY: all deps build test test-sanitize fuzz demo demo-stop bench clean

all: build

# Installs only what is missing; apt-get update runs only when needed.
# RUNLEVEL=1: package scripts must not start services (nginx is only a test
# tool here; a real front is configured by hand, README "Running a server").
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(MAKE) fuzz

# The whole suite under AddressSanitizer + UBSan, in its own build directory.
# The convergence property test runs 500 seeds in `make test`; under ASan
# each is ~10x slower (220 s for 500 alone), so the sanitizer pass runs
# fewer, leaving room under ctest's 300 s per test on a busy 2-core machine.
SANITIZE_SEEDS ?= 150

test-sanitize: deps
	cmake -S . -B $(BUILD)-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLATIH_SANITIZE=ON
	cmake --build $(BUILD)-asan -j $(JOBS)
	LATIH_SEEDS=$(SANITIZE_SEEDS) ctest --test-dir $(BUILD)-asan --output-on-failure -j $(JOBS)

# libFuzzer needs clang: every library is built in $(BUILD)-fuzz with the
# fuzzer's coverage feedback, ASan and UBSan (LATIH_FUZZ). Each target runs
# FUZZ_SECONDS on its seeds (tests/fuzz/corpus/, only read); a crash fails
# with the reproducer's path. Longer runs: tests/tools/fuzz.sh SECONDS.
fuzz: deps
	cmake -S . -B $(BUILD)-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DLATIH_FUZZ=ON -DLATIH_BUILD_TESTS=OFF
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzz_targets
	FUZZ_BUILD=$(BUILD)-fuzz bash tests/tools/fuzz.sh $(FUZZ_SECONDS)

demo: build
	LATIH=$(BUILD)/client/latih LATIH_SERVER=$(BUILD)/server/latih-server DEMO_DIR=$(BUILD)/demo \
	  bash client/demo/run_demo.sh

demo-stop:
	DEMO_DIR=$(BUILD)/demo bash client/demo/run_demo.sh stop

bench: build
	$(BUILD)/tests/bench/latih_bench --out $(BUILD)/bench.md

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
