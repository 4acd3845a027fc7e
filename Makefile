# dutydesk — build, test and install.
#
#   make deps     install every Debian 12 package needed (root; apt-get)
#   make          build dutydesk and dutydeskd
#   make run      open the console on the bundled demo data
#   make check    build and run every test suite (unit, ASan+UBSan, CLI, screen, tmux, D-Bus, sync,
#                 and a short libFuzzer run)
#   make fuzz     fuzz the server's request decoder and the event codec longer (FUZZ_TIME s each)
#   make install PREFIX=/usr/local     make clean

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/dutydesk
LOCALEDIR?= $(PREFIX)/share/locale
VERSION  := 0.1.0

CC       ?= cc
PKG      ?= pkg-config
CORE_PKGS := sqlite3 jansson libconfig
# libcrypto is linked statically: only its SHA-256 is used, which pulls in
# about 30 KB, while loading libcrypto.so costs every `dutydesk log` call
# 0.65 ms of relocations before main() (a quarter of the whole append).
CRYPTO_LIBS := -Wl,-Bstatic $(shell $(PKG) --libs-only-l libcrypto 2>/dev/null) -Wl,-Bdynamic
TUI_PKGS  := ncursesw

WARN     := -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CPPFLAGS += -Iinclude -D_GNU_SOURCE \
            -DDD_VERSION='"$(VERSION)"' -DDD_DATADIR='"$(DATADIR)"' -DDD_LOCALEDIR='"$(LOCALEDIR)"'
OPT      ?= -O2 -g
CFLAGS   += $(WARN) $(OPT) $(shell $(PKG) --cflags $(CORE_PKGS) libcrypto $(TUI_PKGS) 2>/dev/null)
LDFLAGS  += -Wl,-O1 -Wl,--as-needed
CORE_LIBS := $(shell $(PKG) --libs $(CORE_PKGS) 2>/dev/null) $(CRYPTO_LIBS)
TUI_LIBS  := $(shell $(PKG) --libs $(TUI_PKGS) 2>/dev/null)
# The console loads libnotify with dlopen() at its first alert (never
# linked: commands must not pay for it) and delivers from a thread.
DL_LIBS   := -ldl -pthread
CMOCKA_LIBS := $(shell $(PKG) --libs cmocka 2>/dev/null)
# dutydeskd only: the console never links libmicrohttpd (nor libcurl,
# which core/sync.c loads with dlopen() when a sync starts).
MHD_CFLAGS := $(shell $(PKG) --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS   := $(shell $(PKG) --libs libmicrohttpd 2>/dev/null)

SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CORE_SRC    := $(sort $(wildcard core/*.c))
VIEWS_SRC   := $(sort $(wildcard views/*.c))
CONSOLE_SRC := $(sort $(wildcard console/*.c))
SERVER_SRC  := $(sort $(wildcard server/*.c))
SERVER_HDR  := $(wildcard server/*.h)
UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
HEADERS     := $(wildcard include/dutydesk/*.h)
TEST_HEADERS := $(wildcard tests/unit/*.h)

B := build
# `make V=1` shows the full commands.
Q := $(if $(V),,@)
say = $(if $(V),,@printf '  %-6s %s\n' $(1) $(2);)
obj = $(patsubst %.c,$(B)/$(1)/%.o,$(2))

CORE_OBJ    := $(call obj,rel,$(CORE_SRC))
VIEWS_OBJ   := $(call obj,rel,$(VIEWS_SRC))
CONSOLE_OBJ := $(call obj,rel,$(CONSOLE_SRC))
SERVER_OBJ  := $(call obj,rel,$(SERVER_SRC))
# The server's pieces without main(), as archives: a unit test pulls in
# only the members it uses (scope, token, batch, db) and so links without
# libmicrohttpd.
SERVER_LIB  := $(B)/rel/libdutydeskd.a
SERVER_ASAN_LIB := $(B)/asan/libdutydeskd.a
UNIT_BIN    := $(patsubst tests/unit/%.c,$(B)/rel/tests/%,$(UNIT_SRC))
ASAN_BIN    := $(patsubst tests/unit/%.c,$(B)/asan/tests/%,$(UNIT_SRC))

PO          := $(wildcard po/*.po)
MO          := $(patsubst po/%.po,$(B)/locale/%/LC_MESSAGES/dutydesk.mo,$(PO))

.PHONY: orgs all deps run check unit asan-unit cli-test screen-test tui-test notify-test sync-test fuzz-check fuzz \
	install clean bench demo pot
.DEFAULT_GOAL := all

all: dutydesk dutydeskd $(B)/gen-demo $(B)/gen-orgs $(MO)

dutydesk: $(CONSOLE_OBJ) $(VIEWS_OBJ) $(CORE_OBJ)
	$(call say,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TUI_LIBS) $(CORE_LIBS) $(DL_LIBS) -lm

$(B)/rel/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

dutydeskd: $(SERVER_OBJ) $(CORE_OBJ)
	$(call say,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(MHD_LIBS) $(CORE_LIBS) $(DL_LIBS) -lm

$(B)/rel/server/%.o: server/%.c $(HEADERS) $(SERVER_HDR) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) $(MHD_CFLAGS) -c -o $@ $<

$(B)/asan/server/%.o: server/%.c $(HEADERS) $(SERVER_HDR) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC-SAN,$<)$(CC) $(CPPFLAGS) $(CFLAGS) $(MHD_CFLAGS) $(SAN) -O1 -c -o $@ $<

$(SERVER_LIB): $(filter-out %/main.o,$(SERVER_OBJ))
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

$(SERVER_ASAN_LIB): $(filter-out %/main.o,$(call obj,asan,$(SERVER_SRC)))
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

$(B)/asan/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC-SAN,$<)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -O1 -c -o $@ $<

# Unit tests link the core and the curses-free parts of views/ they test.
$(B)/rel/tests/%: tests/unit/%.c $(CORE_OBJ) $(VIEWS_OBJ) $(SERVER_LIB) $(HEADERS) $(SERVER_HDR) $(TEST_HEADERS)
	@mkdir -p $(dir $@)
	$(call say,TEST,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(CORE_OBJ) $(VIEWS_OBJ) $(SERVER_LIB) $(CMOCKA_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(DL_LIBS) -lm

$(B)/asan/tests/%: tests/unit/%.c $(call obj,asan,$(CORE_SRC)) $(call obj,asan,$(VIEWS_SRC)) $(SERVER_ASAN_LIB) $(HEADERS) $(SERVER_HDR) $(TEST_HEADERS)
	@mkdir -p $(dir $@)
	$(call say,TEST-SAN,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -O1 -o $@ $< $(call obj,asan,$(CORE_SRC)) $(call obj,asan,$(VIEWS_SRC)) \
		$(SERVER_ASAN_LIB) $(CMOCKA_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(DL_LIBS) -lm

# Fuzz targets: libFuzzer comes with clang and needs clang's own ASan and
# UBSan runtimes, so the code under test is compiled again with clang
# (gcc's sanitizer objects cannot link with it).  The server's pieces go
# into an archive so that the targets link without libmicrohttpd.
FUZZ_CC     ?= clang
# core/rosterio.c combines checks with a bitwise & on purpose (every
# check runs, so every bad field is reported), which clang warns about.
FUZZ_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
               -Wno-bitwise-instead-of-logical
FUZZ_BIN    := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_LIB    := $(B)/fuzz/libfuzzed.a
# Runs per target in `make check`, seconds per target in `make fuzz`.
FUZZ_RUNS   ?= 20000
FUZZ_TIME   ?= 300

$(B)/fuzz/%.o: %.c $(HEADERS) $(SERVER_HDR) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC-FUZZ,$<)$(FUZZ_CC) $(CPPFLAGS) $(CFLAGS) $(MHD_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_LIB): $(call obj,fuzz,$(CORE_SRC)) $(filter-out %/main.o,$(call obj,fuzz,$(SERVER_SRC)))
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) $(HEADERS) $(SERVER_HDR)
	$(call say,FUZZ,$@)$(FUZZ_CC) $(CPPFLAGS) -Iserver $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) \
		$(CORE_LIBS) $(DL_LIBS) -lm

$(B)/locale/%/LC_MESSAGES/dutydesk.mo: po/%.po
	@mkdir -p $(dir $@)
	$(call say,MSGFMT,$<)msgfmt --check -o $@ $<

deps:
	@sh packaging/deps.sh

$(B)/gen-demo: data/demo/gen_demo.c $(CORE_OBJ) $(HEADERS)
	$(call say,LINK,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_OBJ) $(CORE_LIBS) -lm

# data/orgs/chongqing.conf is generated but checked in; `make orgs`
# rewrites it (the CLI tests check that it matches the generator).
$(B)/gen-orgs: data/orgs/gen_orgs.c Makefile
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

orgs: $(B)/gen-orgs
	$(B)/gen-orgs >data/orgs/chongqing.conf

demo: dutydesk $(B)/gen-demo
	@sh data/demo/make-demo.sh $(B)/demo

run: all demo
	./dutydesk --config $(B)/demo/dutydesk.conf

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

asan-unit: $(ASAN_BIN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		sh tests/run-unit.sh $(ASAN_BIN)

cli-test: all
	@sh tests/cli/run.sh

screen-test: all
	@sh tests/screen/run.sh

tui-test: all
	@sh tests/tui/run.sh

notify-test: all
	@sh tests/notify/run.sh

sync-test: all
	@sh tests/sync/run.sh
	@sh tests/sync/zero.sh

# Each target starts from the seeds in tests/fuzz/corpus/NAME; what it
# finds is kept in build/fuzz/corpus/NAME (libFuzzer writes new inputs
# into its first folder), never in the source tree.
fuzz-check: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh -runs=$(FUZZ_RUNS) -- $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh -max_total_time=$(FUZZ_TIME) -- $(FUZZ_BIN)

check: all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory asan-unit
	@$(MAKE) --no-print-directory cli-test
	@$(MAKE) --no-print-directory screen-test
	@$(MAKE) --no-print-directory tui-test
	@$(MAKE) --no-print-directory notify-test
	@$(MAKE) --no-print-directory sync-test
	@$(MAKE) --no-print-directory fuzz-check

pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -o po/dutydesk.pot $(VIEWS_SRC) $(CONSOLE_SRC) $(CORE_SRC)

bench: all
	@sh bench/log_append.sh
	@sh bench/tui_start.sh
	@sh bench/roster.sh
	@sh bench/queue.sh
	@sh bench/sync.sh
	@sh bench/zero.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes
	install -m 0755 dutydesk $(DESTDIR)$(BINDIR)/dutydesk
	install -m 0755 dutydeskd $(DESTDIR)$(BINDIR)/dutydeskd
	install -m 0644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/
	install -m 0644 data/tiers.conf $(DESTDIR)$(DATADIR)/tiers.conf
	install -d $(DESTDIR)$(DATADIR)/drills
	install -m 0644 data/drills/*.conf $(DESTDIR)$(DATADIR)/drills/
	for mo in $(MO); do lang=$${mo#$(B)/locale/}; lang=$${lang%%/*}; \
		install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
		install -m 0644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/dutydesk.mo; done

clean:
	rm -rf $(B) dutydesk dutydeskd
