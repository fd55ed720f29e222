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

.PHONY: all test units units-asan bench demo fuzz clean bench-http fuzz-http examples \
        bench-listen fuzz-receive
all: $(B)/bluehook examples

$(B)/bluehook: tools/bluehook.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CURL_CFLAGS) -o $@ tools/bluehook.c $(CURL_LIBS)

# Examples (examples/*.c): each one file; receiver_mhd only where
# pkg-config finds libmicrohttpd (Debian libmicrohttpd-dev).
EXAMPLES := $(B)/examples/receiver_posix $(B)/examples/receiver_embedded
ifeq ($(call have,libmicrohttpd),yes)
EXAMPLES += $(B)/examples/receiver_mhd
endif
examples: $(EXAMPLES)

$(B)/examples/%: examples/%.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -o $@ $<

$(B)/examples/receiver_mhd: examples/receiver_mhd.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(shell $(PKGCONF) --cflags libmicrohttpd) -o $@ $< \
	    $(shell $(PKGCONF) --libs libmicrohttpd)

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
bench: $(B)/bench_hmac $(B)/bench_verify $(B)/bench_match $(B)/bench_receive
	$(B)/bench_hmac
	$(B)/bench_verify
	$(B)/bench_match
	$(B)/bench_receive

$(B)/bench_hmac: bench/bench_hmac.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g $(OPENSSL_CFLAGS) -o $@ $< $(OPENSSL_LIBS)

$(B)/bench_match: bench/bench_match.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -o $@ $<

$(B)/bench_verify: bench/bench_verify.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g $(OPENSSL_CFLAGS) -o $@ $< $(OPENSSL_LIBS)

# The whole receive and the pipeline without HTTP; OpenSSL + simdjson (C++,
# Debian libsimdjson-dev) as the contender when both are installed.
ifeq ($(call have,simdjson)$(call have,libcrypto),yesyes)
SIMDJSON_OBJ   := $(B)/receive_simdjson.o
SIMDJSON_FLAGS := -DBH_HAVE_SIMDJSON
SIMDJSON_LIBS  := $(shell $(PKGCONF) --libs simdjson) $(OPENSSL_LIBS) -lstdc++
endif
CXX ?= c++
$(B)/receive_simdjson.o: bench/receive_simdjson.cpp
	@mkdir -p $(@D)
	$(CXX) -std=c++17 -O2 -g $(shell $(PKGCONF) --cflags simdjson) -c -o $@ $<

$(B)/bench_receive: bench/bench_receive.c bench/bench.h $(HDR) $(SIMDJSON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g $(SIMDJSON_FLAGS) -o $@ $< $(SIMDJSON_OBJ) $(SIMDJSON_LIBS)

# Loopback requests/s of bluehook listen against a node receiver, with wrk
# (Debian wrk, nodejs); RUNS and DURATION (seconds) as the script says.
bench: bench-listen
bench-listen: $(B)/bluehook
	bench/bench_listen.sh

# HTTP parser benchmark; adds nodejs/http-parser (Debian libhttp-parser-dev)
# as a contender when it is installed.
HTTP_PARSER_H := $(wildcard /usr/include/http_parser.h)
ifneq ($(HTTP_PARSER_H),)
HTTP_PARSER_FLAGS := -DBH_HAVE_HTTP_PARSER
HTTP_PARSER_LIBS  := -lhttp_parser
endif
bench: bench-http
bench-http: $(B)/bench_http
	$(B)/bench_http

$(B)/bench_http: bench/bench_http.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g $(HTTP_PARSER_FLAGS) -o $@ $< $(HTTP_PARSER_LIBS)

# libFuzzer harnesses: make fuzz runs each for FUZZ_SECONDS (default 60).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz: fuzz-http fuzz-receive
fuzz-http: $(B)/fuzz/fuzz_http
	@mkdir -p $(B)/fuzz/corpus-http
	$(B)/fuzz/fuzz_http -max_total_time=$(FUZZ_SECONDS) -dict=fuzz/http.dict \
	    -max_len=4096 $(B)/fuzz/corpus-http fuzz/corpus/http

fuzz-receive: $(B)/fuzz/fuzz_receive
	@mkdir -p $(B)/fuzz/corpus-receive
	$(B)/fuzz/fuzz_receive -max_total_time=$(FUZZ_SECONDS) -dict=fuzz/http.dict \
	    -max_len=4096 $(B)/fuzz/corpus-receive fuzz/corpus/receive

$(B)/fuzz/fuzz_receive: fuzz/fuzz_receive.c $(HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) -o $@ $<

$(B)/fuzz/fuzz_http: fuzz/fuzz_http.c tests/http_drive.h $(HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) -o $@ $<

demo:
	@echo "make demo: the end-to-end demo is not written yet (it needs the receiver and sender)."

clean:
	rm -rf $(B)
