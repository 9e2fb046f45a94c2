# The two set-up commands: `make demo` and `make test`. Both install the Debian packages
# they need, configure and build into build/ (binaries in build/bin/), then run.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
  CMAKE_FLAGS += -DWXBATCH_WERROR=ON
endif
CTEST_FLAGS ?= --output-on-failure -j $(JOBS) --timeout 600

.PHONY: all deps build demo test test-asan test-tsan bench format clean package fuzz fuzz-smoke

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(BUILD_DIR)/bin/wxbatch demo

# A Debian package of the two binaries, the man page and the docs: $(BUILD_DIR)/wxbatch_*.deb
package: build
	cd $(BUILD_DIR) && cpack -G DEB

test: build
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS)

test-asan: deps
	cmake -S . -B build-asan -G Ninja -DWXBATCH_SANITIZE=address $(CMAKE_FLAGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest $(CTEST_FLAGS)

test-tsan: deps
	cmake -S . -B build-tsan -G Ninja -DWXBATCH_SANITIZE=thread $(CMAKE_FLAGS)
	cmake --build build-tsan -j $(JOBS)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest $(CTEST_FLAGS)

# libFuzzer targets (clang, ASan+UBSan) in build-fuzz/; fuzz-smoke runs each for FUZZ_SECONDS on a
# copy of its seed corpus (the seeds in fuzz/corpus/ stay as committed). See docs/security.md.
FUZZ_SECONDS ?= 20
FUZZ_TARGETS = csv_reader error_body retry_after link_header checkpoint journal config_file row_errors

fuzz:
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DWXBATCH_FUZZ=ON -DWXBATCH_BUILD_TESTS=OFF
	cmake --build build-fuzz -j $(JOBS) --target wxbatch_fuzz

fuzz-smoke: fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf build-fuzz/corpus/$$t && mkdir -p build-fuzz/corpus/$$t build-fuzz/artifacts; \
	  echo "== fuzz_$$t ($(FUZZ_SECONDS) s)"; rc=0; \
	  build-fuzz/bin/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/artifacts/$$t- build-fuzz/corpus/$$t fuzz/corpus/$$t \
	    > build-fuzz/fuzz_$$t.log 2>&1 || rc=$$?; \
	  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|property violated)' build-fuzz/fuzz_$$t.log || true; \
	  echo "corpus: $$(ls build-fuzz/corpus/$$t | wc -l) files"; \
	  if [ $$rc -ne 0 ]; then echo "fuzz_$$t failed (exit $$rc): build-fuzz/fuzz_$$t.log"; exit 1; fi; \
	done

bench: build
	@bash bench/run.sh $(BUILD_DIR)

format:
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan build-fuzz
