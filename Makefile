# bluehook: make (the CLI), make test, make bench, make demo, make fuzz
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wno-sign-conversion \
           -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual -Werror
ASAN    := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
B       := build
PKGCONF ?= pkg-config
have     = $(shell $(PKGCONF) --exists $(1) 2>/dev/null && echo yes)

ifeq ($(call have,libcrypto),yes)
OPENSSL_CFLAGS := -DBH_HAVE_OPENSSL $(shell $(PKGCONF) --cflags libcrypto)
OPENSSL_LIBS   := $(shell $(PKGCONF) --libs libcrypto)
endif

ifeq ($(call have,libcurl),yes)
CURL_CFLAGS := -DBLUEHOOK_CURL $(shell $(PKGCONF) --cflags libcurl)
CURL_LIBS   := $(shell $(PKGCONF) --libs libcurl)
endif

UNITS := $(patsubst tests/%.c,%,$(wildcard tests/unit_*.c))
HDR   := bluehook.h

.PHONY: all test units units-asan bench demo fuzz fuzz-build fuzz-seeds size clean
all: $(B)/bluehook

$(B)/bluehook: tools/bluehook.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -o $@ tools/bluehook.c

# Unit tests: every tests/unit_*.c is one binary, built twice.
units: $(UNITS:%=$(B)/t/%)
units-asan: $(UNITS:%=$(B)/asan/%)

$(B)/t/%: tests/%.c $(HDR) $(wildcard tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OPENSSL_CFLAGS) $(UNIT_CFLAGS) -o $@ $< $(OPENSSL_LIBS) $(UNIT_LIBS) -lm

$(B)/asan/%: tests/%.c $(HDR) $(wildcard tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(ASAN) $(OPENSSL_CFLAGS) $(UNIT_CFLAGS) -o $@ $< $(OPENSSL_LIBS) $(UNIT_LIBS) -lm

# Units that need an optional library get its flags.
$(B)/t/unit_transport $(B)/asan/unit_transport: UNIT_CFLAGS = $(CURL_CFLAGS)
$(B)/t/unit_transport $(B)/asan/unit_transport: UNIT_LIBS = $(CURL_LIBS)

# The whole suite, from one entry point; its last line is "N passed, N failed".
test:
	@tests/run.sh

# Benchmarks (not tests): each prints medians and ratios, side by side.
bench: $(B)/bench_hmac $(B)/bench_verify $(B)/bench_match
	$(B)/bench_hmac
	$(B)/bench_verify
	$(B)/bench_match

$(B)/bench_hmac: bench/bench_hmac.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g $(OPENSSL_CFLAGS) -o $@ $< $(OPENSSL_LIBS)

$(B)/bench_match: bench/bench_match.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -o $@ $<

$(B)/bench_verify: bench/bench_verify.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g $(OPENSSL_CFLAGS) -o $@ $< $(OPENSSL_LIBS)

# Fuzzing: every fuzz/fuzz_*.c (and fuzz/fuzz_*.cc, built as C++17, for
# harnesses that compare with a C++ library) is a libFuzzer harness, with
# an optional fuzz/<name>.dict, seeds in fuzz/corpus/<name>/, findings kept
# in fuzz/regress/<name>/, and extra link flags in fuzz/<name>.flags (e.g.
# -lsimdjson). `make fuzz FUZZ_SECONDS=N` replays each harness's inputs,
# then fuzzes it for N seconds (one harness at a time); new inputs go to
# build/fuzz/work/<name>/corpus, findings to build/fuzz/work/<name>/findings.
FUZZ_CC      ?= clang
FUZZ_CXX     ?= clang++
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_WARNXX  := -Wall -Wextra -Wpedantic -Wconversion -Wno-sign-conversion \
                -Wshadow -Wmissing-declarations -Wcast-qual -Werror
FUZZ_SECONDS ?= 60
FUZZERS      := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c)) \
                $(patsubst fuzz/%.cc,%,$(wildcard fuzz/fuzz_*.cc))
fuzz_flags    = $(shell cat fuzz/$(1).flags 2>/dev/null)

fuzz-build: $(FUZZERS:%=$(B)/fuzz/bin/%)

$(B)/fuzz/bin/%: fuzz/%.c fuzz/fuzz.h $(HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) -o $@ $< $(call fuzz_flags,$*)

$(B)/fuzz/bin/%: fuzz/%.cc fuzz/fuzz.h $(HDR)
	@mkdir -p $(@D)
	$(FUZZ_CXX) -std=c++17 $(FUZZ_WARNXX) $(FUZZ_FLAGS) -o $@ $< $(call fuzz_flags,$*)

fuzz: fuzz-build
	@for f in $(FUZZERS); do fuzz/run.sh replay $$f && fuzz/run.sh fuzz $$f $(FUZZ_SECONDS) || exit 1; done

# Regenerate the committed seeds from ../shared.
fuzz-seeds: $(B)/mkseeds
	$(B)/mkseeds sig fuzz/corpus/fuzz_sig
	$(B)/mkseeds encodings fuzz/corpus/fuzz_encodings

$(B)/mkseeds: fuzz/mkseeds.c tests/vectors.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -o $@ $<

# Code size of the receiver and sender subsets (Cortex-M4 and x86-64) and
# the worst-case stack of every public function.
size:
	@tests/size.sh

demo:
	@echo "make demo: the end-to-end demo is not written yet (it needs the receiver and sender)."

clean:
	rm -rf $(B)
