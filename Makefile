# thema — build, set-up, tests and benchmarks.
#
#   make run    install missing Debian packages, build, run the shipped study
#   make test   the same set-up, then every test under ASan + UBSan
#   make bench  optimised build, then the benchmarks in bench/ (never in test)

# Debian packages the build, the tests and the benchmarks need, named once.
DEB_PACKAGES := gcc libc6-dev make pkg-config \
  libsqlite3-dev liblua5.4-dev libpcre2-dev libcsv-dev libcriterion-dev \
  libstemmer-dev libutf8proc-dev nettle-dev sqlite3

PKG_MODULES := sqlite3 lua5.4 libpcre2-8 libutf8proc nettle

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
PKG_CFLAGS = $(shell pkg-config --cflags $(PKG_MODULES) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKG_MODULES) 2>/dev/null) -lcsv -lstemmer -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CORE_SRC  := $(filter-out core/main.c,$(wildcard core/*.c))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
STUDY     := corpora/leren-om-te-leren
STUDY_OUT := out/leren-om-te-leren

.PHONY: all deps run test unit e2e lua-tests valgrind bench clean

all: build/thema

# Install what is missing, and only that; needs root (or sudo) the first time.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build/gen/schema.inc: core/schema.sql
	@mkdir -p $(@D)
	@sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# Release objects.
build/obj/%.o: core/%.c core/*.h build/gen/schema.inc
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Ibuild/gen -c $< -o $@

build/thema: $(patsubst core/%.c,build/obj/%.o,$(CORE_SRC) core/main.c)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

# Sanitizer objects for the tests.
build/asan/obj/%.o: core/%.c core/*.h build/gen/schema.inc
	@mkdir -p $(@D)
	@echo "  CC asan $<"
	@$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -Ibuild/gen -c $< -o $@

build/asan/thema: $(patsubst core/%.c,build/asan/obj/%.o,$(CORE_SRC) core/main.c)
	@echo "  LD asan $@"
	@$(CC) $(SAN) $^ $(PKG_LIBS) -o $@

build/asan/test_%: tests/unit/test_%.c tests/unit/*.h $(patsubst core/%.c,build/asan/obj/%.o,$(CORE_SRC))
	@echo "  LD asan $@"
	@$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -Icore -Ibuild/gen $< \
	  $(patsubst core/%.c,build/asan/obj/%.o,$(CORE_SRC)) $(PKG_LIBS) -lcriterion -o $@

UNIT_BINS := $(patsubst tests/unit/test_%.c,build/asan/test_%,$(UNIT_SRC))
# The end-to-end scripts; tests/e2e/lib.sh is the library they source.
E2E_SH := $(filter-out tests/e2e/lib.sh,$(wildcard tests/e2e/*.sh))

run: deps
	$(MAKE) build/thema
	rm -rf $(STUDY_OUT) && mkdir -p $(STUDY_OUT)
	build/thema --db $(STUDY_OUT)/thema.db --out $(STUDY_OUT) script scripts/leren-om-te-leren.lua $(STUDY)
	build/thema --db $(STUDY_OUT)/thema.db export codings --format csv --output $(STUDY_OUT)/codings.csv
	@echo "results in $(STUDY_OUT)/"

test: deps
	$(MAKE) unit e2e lua-tests

unit: $(UNIT_BINS) build/asan/thema
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; \
	  ASAN_OPTIONS=detect_leaks=1 THEMA_ROOT=$(CURDIR) THEMA=$(CURDIR)/build/asan/thema \
	  $$t --jobs 2; done

e2e: build/asan/thema
	@set -e; for t in $(E2E_SH); do echo "== $$t"; \
	  THEMA=$(CURDIR)/build/asan/thema sh $$t; done

lua-tests: build/asan/thema
	THEMA=$(CURDIR)/build/asan/thema sh tests/lua/run.sh

# Plain objects (no sanitizers: valgrind and ASan do not mix) for valgrind.
build/vg/obj/%.o: core/%.c core/*.h build/gen/schema.inc
	@mkdir -p $(@D)
	@echo "  CC vg   $<"
	@$(CC) $(WARN) -O1 -g $(PKG_CFLAGS) -Ibuild/gen -c $< -o $@

build/vg/thema: $(patsubst core/%.c,build/vg/obj/%.o,$(CORE_SRC) core/main.c)
	@echo "  LD vg   $@"
	@$(CC) $^ $(PKG_LIBS) -o $@

build/vg/test_%: tests/unit/test_%.c tests/unit/*.h $(patsubst core/%.c,build/vg/obj/%.o,$(CORE_SRC))
	@echo "  LD vg   $@"
	@$(CC) $(WARN) -O1 -g $(PKG_CFLAGS) -Icore -Ibuild/gen $< \
	  $(patsubst core/%.c,build/vg/obj/%.o,$(CORE_SRC)) $(PKG_LIBS) -lcriterion -o $@

VG_BINS := $(patsubst tests/unit/test_%.c,build/vg/test_%,$(UNIT_SRC))
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
