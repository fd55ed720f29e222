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

UNITS := $(patsubst tests/%.c,%,$(wildcard tests/unit_*.c))
HDR   := bluehook.h

.PHONY: all test units units-asan bench demo fuzz fuzz-json clean
all: $(B)/bluehook

$(B)/bluehook: tools/bluehook.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -o $@ tools/bluehook.c

# Unit tests: every tests/unit_*.c is one binary, built twice.
units: $(UNITS:%=$(B)/t/%)
units-asan: $(UNITS:%=$(B)/asan/%)

$(B)/t/%: tests/%.c $(HDR) tests/t.h
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OPENSSL_CFLAGS) -o $@ $< $(OPENSSL_LIBS) -lm

$(B)/asan/%: tests/%.c $(HDR) tests/t.h
	@mkdir -p $(@D)
	$(CC) $(WARN) $(ASAN) $(OPENSSL_CFLAGS) -o $@ $< $(OPENSSL_LIBS) -lm

# The whole suite, from one entry point; its last line is "N passed, N failed".
test:
	@tests/run.sh

bench: $(B)/bench_hmac $(B)/bench_json
	$(B)/bench_hmac
	$(B)/bench_json

# JSON reading against simdjson and cJSON (Debian: libsimdjson-dev,
# libcjson-dev); C++ for simdjson, plain -O2 for everyone.
CXX     ?= c++
JSONB_CFLAGS := $(shell $(PKGCONF) --cflags simdjson libcjson 2>/dev/null)
JSONB_LIBS   := $(shell $(PKGCONF) --libs simdjson libcjson 2>/dev/null)

$(B)/bench_json: bench/bench_json.cpp bench/bench_json_swar.c bench/blue_payload.h bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -c -o $(B)/bench_json_swar.o bench/bench_json_swar.c
	$(CXX) -std=c++17 -O2 -g $(JSONB_CFLAGS) -o $@ bench/bench_json.cpp $(B)/bench_json_swar.o $(JSONB_LIBS)

$(B)/bench_hmac: bench/bench_hmac.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g $(OPENSSL_CFLAGS) -o $@ $< $(OPENSSL_LIBS)

# libFuzzer harnesses (clang, libclang-rt-14-dev): make fuzz [FUZZ_TIME=s]
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

fuzz: fuzz-json

fuzz-json: $(B)/fuzz_json
	@mkdir -p $(B)/fuzz-corpus/json
	$(B)/fuzz_json -max_total_time=$(FUZZ_TIME) -dict=fuzz/json.dict \
	    $(B)/fuzz-corpus/json ../shared/jsontestsuite/test_parsing ../shared/blue

$(B)/fuzz_json: fuzz/fuzz_json.c $(HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ fuzz/fuzz_json.c

demo:
	@echo "make demo: the end-to-end demo is not written yet (it needs the receiver and sender)."

clean:
	rm -rf $(B)
