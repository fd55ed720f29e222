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
HDR   := bluehook.h $(B)/.flags

# Every build depends on $(B)/.flags, which holds the compilers and flags
# it was made with (written at the end of this file, when they change): a
# change of CC, CFLAGS and the like rebuilds, without a make clean.

.PHONY: install all test units units-asan bench demo fuzz fuzz-build fuzz-seeds size clean \
        bench-http bench-listen examples
all: $(B)/bluehook examples

# Examples: short programs a user copies from, each built with the full
# warning set; receiver_mhd only where pkg-config finds libmicrohttpd
# (Debian libmicrohttpd-dev).
EXAMPLES := gateway transport_custom receiver_posix receiver_embedded
ifeq ($(call have,libmicrohttpd),yes)
EXAMPLES += receiver_mhd
endif
# replay_redis only where pkg-config finds hiredis (Debian libhiredis-dev);
# without it, make says so, and fails under CI=true.
ifeq ($(call have,hiredis),yes)
EXAMPLES += replay_redis
else
examples: no-hiredis
endif
examples: $(EXAMPLES:%=$(B)/examples/%)

.PHONY: no-hiredis
no-hiredis:
	@echo "examples/replay_redis skipped: hiredis not found (install libhiredis-dev)"
	@test "$(CI)" != true

$(B)/examples/%: examples/%.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(EXAMPLE_LIBS)

$(B)/examples/receiver_mhd: EXAMPLE_LIBS = $(shell $(PKGCONF) --cflags --libs libmicrohttpd)
$(B)/examples/replay_redis: EXAMPLE_LIBS = $(shell $(PKGCONF) --cflags --libs hiredis)

$(B)/bluehook: tools/bluehook.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CURL_CFLAGS) -o $@ tools/bluehook.c $(CURL_LIBS)

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
bench: $(B)/bench_hmac $(B)/bench_verify $(B)/bench_match $(B)/bench_json $(B)/bench_publish $(B)/bench_receive \
       $(B)/bench_e2e $(B)/bluehook
	$(B)/bench_hmac
	$(B)/bench_verify
	$(B)/bench_json
	$(B)/bench_match
	$(B)/bench_publish
	$(B)/bench_receive
	$(B)/bench_e2e

# JSON reading against simdjson and cJSON (Debian: libsimdjson-dev,
# libcjson-dev); C++ for simdjson, plain -O2 for everyone.
CXX     ?= c++
JSONB_CFLAGS := $(shell $(PKGCONF) --cflags simdjson libcjson 2>/dev/null)
JSONB_LIBS   := $(shell $(PKGCONF) --libs simdjson libcjson 2>/dev/null)

$(B)/bench_json: bench/bench_json.cpp bench/bench_json_swar.c bench/blue_payload.h bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -c -o $(B)/bench_json_swar.o bench/bench_json_swar.c
	$(CXX) -std=c++17 -O2 -g $(JSONB_CFLAGS) -o $@ bench/bench_json.cpp $(B)/bench_json_swar.o $(JSONB_LIBS)

$(B)/bench_hmac: bench/bench_hmac.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g $(OPENSSL_CFLAGS) -o $@ $< $(OPENSSL_LIBS)

$(B)/bench_publish: bench/bench_publish.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -o $@ $<

$(B)/bench_e2e: bench/bench_e2e.c bench/bench.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -o $@ $<

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

$(B)/fuzz/bin/%: fuzz/%.c fuzz/fuzz.h $(wildcard tests/*.h) $(HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) -o $@ $< $(call fuzz_flags,$*)

$(B)/fuzz/bin/%: fuzz/%.cc fuzz/fuzz.h $(HDR)
	@mkdir -p $(@D)
	$(FUZZ_CXX) -std=c++17 $(FUZZ_WARNXX) $(FUZZ_FLAGS) -o $@ $< $(call fuzz_flags,$*)

fuzz: fuzz-build
	@for f in $(FUZZERS); do fuzz/run.sh replay $$f && fuzz/run.sh fuzz $$f $(FUZZ_SECONDS) || exit 1; done

# Regenerate the committed seeds from ../shared (every harness with seeds
# of its own; new inputs found by fuzzing are merged in beside them).
fuzz-seeds: $(B)/mkseeds
	$(B)/mkseeds sig fuzz/corpus/fuzz_sig
	$(B)/mkseeds encodings fuzz/corpus/fuzz_encodings
	$(B)/mkseeds json fuzz/corpus/fuzz_json
	$(B)/mkseeds json fuzz/corpus/fuzz_json_simdjson
	$(B)/mkseeds writer fuzz/corpus/fuzz_writer
	$(B)/mkseeds filter fuzz/corpus/fuzz_filter
	$(B)/mkseeds payload fuzz/corpus/fuzz_payload

$(B)/mkseeds: fuzz/mkseeds.c tests/vectors.h $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -o $@ $<

# Code size of the receiver and sender subsets (Cortex-M4 and x86-64) and
# the worst-case stack of every public function.
size:
	@tests/size.sh

# The end-to-end demo (demo/demo.c): a sender publishes Blue events to
# bluehook listen and to a flaky endpoint over loopback, then stops both.
# Only a C compiler and make are needed. On a fresh tree `make demo`
# compiles its two programs side by side.
ifeq ($(MAKECMDGOALS),demo)
MAKEFLAGS += -j2
endif
demo: $(B)/bluehook $(B)/demo
	@$(B)/demo $(B)/bluehook

# The demo's own program is built at -O1 without -g (its speed does not
# matter; a fresh `make demo` should not wait on the optimizer).
DEMO_CFLAGS ?= -O1
$(B)/demo: demo/demo.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEMO_CFLAGS) -o $@ demo/demo.c

# make install PREFIX=...: the header, a pkg-config file, the CMake package
# files (the same as CMakeLists.txt installs) and the CLI.
PREFIX  ?= /usr/local
VERSION := $(shell sed -n 's/^\#define BLUEHOOK_VERSION "\(.*\)"/\1/p' bluehook.h)
install: $(B)/bluehook
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/pkgconfig $(DESTDIR)$(PREFIX)/share/cmake/bluehook
	install -m 644 bluehook.h $(DESTDIR)$(PREFIX)/include/bluehook.h
	install -m 755 $(B)/bluehook $(DESTDIR)$(PREFIX)/bin/bluehook
	sed 's|@PREFIX@|$(PREFIX)|; s|@VERSION@|$(VERSION)|' bluehook.pc.in \
	    > $(DESTDIR)$(PREFIX)/share/pkgconfig/bluehook.pc
	printf '%s\n' 'get_filename_component(_bh_prefix "$${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)' \
	    'if(NOT TARGET bluehook::bluehook)' \
	    '  add_library(bluehook::bluehook INTERFACE IMPORTED)' \
	    '  set_target_properties(bluehook::bluehook PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "$${_bh_prefix}/include")' \
	    'endif()' > $(DESTDIR)$(PREFIX)/share/cmake/bluehook/bluehookConfig.cmake
	printf '%s\n' 'set(PACKAGE_VERSION "$(VERSION)")' \
	    'if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)' \
	    '  set(PACKAGE_VERSION_COMPATIBLE FALSE)' 'else()' \
	    '  set(PACKAGE_VERSION_COMPATIBLE TRUE)' 'endif()' \
	    > $(DESTDIR)$(PREFIX)/share/cmake/bluehook/bluehookConfigVersion.cmake

clean:
	rm -rf $(B)

# The compilers and flags of this run, into $(B)/.flags when they differ
# from the last run's (here, after every variable is set).
FLAGS_NOW := $(CC) $(CFLAGS) $(CXX) $(OPENSSL_CFLAGS) $(CURL_CFLAGS) \
             $(DEMO_CFLAGS) $(FUZZ_CC) $(FUZZ_CXX) $(FUZZ_FLAGS)
$(shell mkdir -p $(B) && (echo '$(FLAGS_NOW)' | cmp -s - $(B)/.flags || \
        echo '$(FLAGS_NOW)' > $(B)/.flags))
