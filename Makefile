# thema — build, set-up, tests and benchmarks.
#
#   make run    install missing Debian packages, build, run the shipped study
#   make test   the same set-up, then every test (lint, unit and end-to-end under
#               ASan + UBSan, Lua specs, a short run of every fuzzer, faults)
#   make faults SIGKILL, full-disk, read-only-media and two-writer tests
#   make lint   include layering of core/ and clang-format against .clang-format
#   make format rewrite the C sources as .clang-format says
#   make fuzz   every libFuzzer target for FUZZ_SECONDS (default 60) each
#   make bench  optimised build, then the benchmarks in bench/ (never in test)

# Debian packages the build, the tests and the benchmarks need, named once.
DEB_PACKAGES := gcc libc6-dev make pkg-config clang clang-format \
  libsqlite3-dev liblua5.4-dev libpcre2-dev libcsv-dev libcriterion-dev \
  libstemmer-dev libutf8proc-dev nettle-dev sqlite3 \
  libxml2-dev libzip-dev libxlsxwriter-dev libpoppler-glib-dev libicu-dev \
  libigraph-dev libgraphviz-dev libopenblas-dev

# What only the tests need beyond the build: xmllint (well-formed and valid
# XML, HTML and SVG) and a headless browser for the report's screenshot.
TEST_DEB_PACKAGES := libxml2-utils chromium
# unzip and zip: the REFI-QDA end-to-end test opens and rebuilds .qdpx archives.
TEST_DEB_PACKAGES += unzip zip

PKG_MODULES := sqlite3 lua5.4 libpcre2-8 libutf8proc nettle libxml-2.0 libzip \
  xlsxwriter poppler-glib icu-uc icu-i18n igraph libgvc openblas

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
# Recursive (=): evaluated only where a recipe compiles, i.e. after `deps`.
# -isystem: warnings are for our code, not for the libraries' headers.
PKG_CFLAGS = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(PKG_MODULES)))
# Graphviz's core renderers and layouts are linked in (export/graph.c), so
# that no plugin is loaded on demand; they live in a folder of their own.
GV_PLUGINS = -L$(GV_DIR) -Wl,-rpath,$(GV_DIR) -lgvplugin_core -lgvplugin_neato_layout \
  -lgvplugin_dot_layout
GV_DIR     = $(shell pkg-config --variable=libdir libgvc)/graphviz
PKG_LIBS   = $(shell pkg-config --libs $(PKG_MODULES)) $(GV_PLUGINS) -lcsv -lstemmer -lm -pthread
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# The layers of core/, lowest first; each includes only the ones before it
# (ARCHITECTURE.md says why; .ci/lint-layers.sh checks it).
LAYERS    := base text store deductive analysis ingest export lua cli
CORE_SRC  := $(foreach d,$(LAYERS),$(wildcard core/$(d)/*.c))
CORE_HDR  := $(foreach d,$(LAYERS),$(wildcard core/$(d)/*.h))
LIB_SRC   := $(filter-out core/cli/main.c,$(CORE_SRC))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
STUDY     := corpora/leren-om-te-leren
STUDY_OUT := out/leren-om-te-leren

.PHONY: all deps test-deps install-packages ci run test lint format unit e2e lua-tests faults fuzz fuzz-smoke valgrind \
        bench clean

all: build/thema

# Install what is missing, and only that; needs root (or sudo) the first time.
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PACKAGES)"
	@pkg-config --exists $(PKG_MODULES) || { \
	  echo "pkg-config does not find: $(PKG_MODULES); run 'make deps' as root"; exit 1; }

test-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_DEB_PACKAGES)"

install-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build/gen/schema.inc: core/store/schema.sql
	@mkdir -p $(@D)
	@sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# The stop word and filler lists (core/text/wordlists/*.txt), compiled in as
# one NULL-ended C array each, named wordlist_<file stem>; text/wordlists.c
# is their one reader.
WORDLISTS := $(sort $(wildcard core/text/wordlists/*.txt))
build/gen/wordlists.inc: $(WORDLISTS)
	@mkdir -p $(@D)
	@for f in $(WORDLISTS); do b=$$(basename $$f .txt); \
	  echo "static const char *const wordlist_$$b[] = {"; \
	  sed -e '/^#/d' -e '/^[[:space:]]*$$/d' -e 's/\\/\\\\/g' -e 's/"/\\"/g' \
	    -e 's/^/    "/' -e 's/$$/",/' $$f; echo "    NULL};"; done > $@
build/obj/text/wordlists.o build/asan/obj/text/wordlists.o build/vg/obj/text/wordlists.o \
  build/fuzz/obj/text/wordlists.o: build/gen/wordlists.inc

# One set of rules per build flavour: $(1) its folder, $(2) compile flags,
# $(3) link flags. Objects carry their header dependencies (-MMD -MP).
define FLAVOUR
$(1)_OBJ := $$(patsubst core/%.c,$(1)/obj/%.o,$$(LIB_SRC))

$(1)/obj/%.o: core/%.c build/gen/schema.inc
	@mkdir -p $$(@D)
	@echo "  CC $(1) $$<"
	@$$(CC) $$(WARN) $(2) $$(PKG_CFLAGS) -Icore -Ibuild/gen -MMD -MP -c $$< -o $$@

$(1)/thema: $$($(1)_OBJ) $(1)/obj/cli/main.o
	@echo "  LD $$@"
	@$$(CC) $(3) $$^ $$(PKG_LIBS) -o $$@

$(1)/test_%: tests/unit/test_%.c $$($(1)_OBJ)
	@echo "  LD $$@"
	@$$(CC) $$(WARN) $(2) $$(PKG_CFLAGS) -Icore -Ibuild/gen -MMD -MP -MF $$@.d $$< \
	  $$($(1)_OBJ) $$(PKG_LIBS) -lcriterion -o $$@
endef

$(eval $(call FLAVOUR,build,$(CFLAGS),$(CFLAGS)))        # release: build/thema
$(eval $(call FLAVOUR,build/asan,-O1 -g $(SAN),$(SAN)))  # tests
$(eval $(call FLAVOUR,build/vg,-O1 -g,))                 # valgrind (no sanitizers)

-include $(shell find build -name '*.d' 2>/dev/null)

UNIT_BINS := $(patsubst tests/unit/test_%.c,build/asan/test_%,$(UNIT_SRC))
VG_BINS   := $(patsubst tests/unit/test_%.c,build/vg/test_%,$(UNIT_SRC))
# The end-to-end scripts; tests/e2e/lib.sh is the library they source.
E2E_SH := $(filter-out tests/e2e/lib.sh,$(wildcard tests/e2e/*.sh))

run: deps
	$(MAKE) build/thema
	rm -rf $(STUDY_OUT) && mkdir -p $(STUDY_OUT)
	build/thema --db $(STUDY_OUT)/thema.db --out $(STUDY_OUT) script scripts/leren-om-te-leren.lua $(STUDY)
	build/thema --db $(STUDY_OUT)/thema.db export codings --format csv --output $(STUDY_OUT)/codings.csv
	@echo "results in $(STUDY_OUT)/; the report: $(STUDY_OUT)/report/report.html"

test: test-deps
	$(MAKE) lint unit e2e lua-tests fuzz-smoke faults

# What CI runs on a clean clone.
ci: test-deps test

lint:
	@sh .ci/lint-layers.sh $(LAYERS)
	@clang-format --dry-run --Werror $(CORE_SRC) $(CORE_HDR) $(UNIT_SRC) $(FUZZ_SRC) \
	  tests/unit/*.h tests/fuzz/*.h && echo "lint: clang-format clean"

format:
	clang-format -i $(CORE_SRC) $(CORE_HDR) $(UNIT_SRC) $(FUZZ_SRC) tests/unit/*.h tests/fuzz/*.h

unit: $(UNIT_BINS) build/asan/thema
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; \
	  ASAN_OPTIONS=detect_leaks=1 THEMA_ROOT=$(CURDIR) THEMA=$(CURDIR)/build/asan/thema \
	  $$t --jobs 2; done

e2e: build/asan/thema
	@set -e; for t in $(E2E_SH); do echo "== $$t"; \
	  THEMA=$(CURDIR)/build/asan/thema sh $$t; done

lua-tests: build/asan/thema
	THEMA=$(CURDIR)/build/asan/thema sh tests/lua/run.sh

# Faults as tests: SIGKILL during imports and runs, a full disk, read-only
# media, two writers. The release build, so that kills land mid-work.
faults: build/thema
	@echo "== tests/faults/faults.sh"; THEMA=$(CURDIR)/build/thema sh tests/faults/faults.sh

# libFuzzer targets: clang, ASan + UBSan, linked against an archive of the
# layers below the store's users (base, text, deductive, analysis, ingest).
# The linker takes from an archive only the modules a target needs, and no
# SQLite or Lua library is given: a parser that reaches the store or Lua
# fails to link (importers write into a sink; tests use a null one).
FUZZ_CC   := clang
FUZZ_SAN  := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g -O1
FUZZ_LIBS  = $(shell pkg-config --libs libpcre2-8 libutf8proc nettle) -lcsv -lstemmer -lm \
  $(shell pkg-config --libs libxml-2.0 libzip poppler-glib)
FUZZ_OBJ  := $(patsubst core/%.c,build/fuzz/obj/%.o,$(filter core/base/% core/text/% \
               core/deductive/% core/analysis/% core/ingest/%,$(LIB_SRC)))
FUZZ_BINS := $(patsubst tests/fuzz/fuzz_%.c,build/fuzz/fuzz_%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 60

build/fuzz/obj/%.o: core/%.c build/gen/schema.inc
	@mkdir -p $(@D)
	@echo "  CC fuzz $<"
	@$(FUZZ_CC) $(WARN) $(FUZZ_SAN) $(PKG_CFLAGS) -Icore -Ibuild/gen -MMD -MP -c $< -o $@

build/fuzz/libcore.a: $(FUZZ_OBJ)
	@rm -f $@ && ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libcore.a
	@echo "  LD fuzz $@"
	@$(FUZZ_CC) $(WARN) $(subst fuzzer-no-link,fuzzer,$(FUZZ_SAN)) $(PKG_CFLAGS) -Icore \
	  -Itests/fuzz $< build/fuzz/libcore.a $(FUZZ_LIBS) -o $@

# The Lua codebook reader is the one parser that needs liblua.
build/fuzz/fuzz_codebook_lua: FUZZ_LIBS += $(shell pkg-config --libs lua5.4)

# Each target for FUZZ_SECONDS over its seeds (tests/fuzz/seeds/NAME/, made
# by hand) and the kept corpus (tests/fuzz/corpus/NAME/); then the inputs
# that reached new code are merged into the kept corpus, so that they replay
# in `make test` from then on. Commit what the merge adds.
fuzz: deps
	$(MAKE) $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_BINS); do n=$${t#build/fuzz/fuzz_}; echo "== $$t"; \
	  mkdir -p build/fuzz/corpus/$$n tests/fuzz/corpus/$$n; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -max_len=65536 \
	    build/fuzz/corpus/$$n tests/fuzz/corpus/$$n tests/fuzz/seeds/$$n; \
	  $$t -merge=1 tests/fuzz/corpus/$$n build/fuzz/corpus/$$n 2>&1 | tail -1; done

# In `make test`: every target builds, replays its seeds and the kept corpus,
# and runs briefly. New inputs go to a folder under build/, never to tests/.
fuzz-smoke: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_BINS); do n=$${t#build/fuzz/fuzz_}; \
	  rm -rf build/fuzz/smoke/$$n && mkdir -p build/fuzz/smoke/$$n tests/fuzz/corpus/$$n; \
	  $$t -runs=3000 -seed=1 build/fuzz/smoke/$$n tests/fuzz/seeds/$$n tests/fuzz/corpus/$$n \
	    >build/fuzz/$$n.log 2>&1 || { cat build/fuzz/$$n.log; exit 1; }; \
	  echo "fuzz $$n: $$(ls tests/fuzz/seeds/$$n tests/fuzz/corpus/$$n | wc -l) inputs replayed, 3000 runs ok"; done

VALGRIND := valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite

# The unit and end-to-end tests under valgrind (slow; not part of make test).
valgrind: deps
	@command -v valgrind >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get install -y -qq valgrind; }
	$(MAKE) build/vg/thema $(VG_BINS)
	@set -e; export THEMA_NO_JIT=1; for t in $(VG_BINS); do echo "== $$t"; \
	  THEMA_ROOT=$(CURDIR) THEMA=$(CURDIR)/build/vg/thema \
	  $(VALGRIND) --trace-children=yes $$t --jobs 1; done
	@set -e; for t in $(E2E_SH); do echo "== $$t"; \
	  THEMA_NO_JIT=1 THEMA="$(VALGRIND) $(CURDIR)/build/vg/thema" sh $$t; done

bench: deps
	sh bench/deps.sh
	$(MAKE) build/thema
	sh bench/run.sh

clean:
	rm -rf build out

# The REFI-QDA schemas, built into the importer (ingest/refi.c) as C strings.
build/gen/refi_project.inc: tests/fixtures/refi-qda/Project.xsd
	@mkdir -p $(@D)
	@sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\r$$//' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@
build/gen/refi_codebook.inc: tests/fixtures/refi-qda/Codebook.xsd
	@mkdir -p $(@D)
	@sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\r$$//' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@
$(foreach f,build build/asan build/vg build/fuzz,$(f)/obj/ingest/refi.o): \
  build/gen/refi_project.inc build/gen/refi_codebook.inc
# The REFI-QDA fuzz target reads XML.
FUZZ_LIBS += $(shell pkg-config --libs libxml-2.0 libzip)
