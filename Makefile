# The two set-up commands: `make demo` and `make test`. Both install the Debian packages
# they need, configure and build into build/ (binaries in build/bin/), then run.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
  CMAKE_FLAGS += -DWXBATCH_WERROR=ON
endif
CTEST_FLAGS ?= --output-on-failure -j $(JOBS) --timeout 600

.PHONY: all deps build demo test test-asan test-tsan bench format clean package

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

bench: build
	@bash bench/run.sh $(BUILD_DIR)

format:
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan
