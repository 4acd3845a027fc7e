# dutydesk — build, test and install.
#
#   make deps     install every Debian 12 package needed (root; apt-get)
#   make          build dutydesk (and dutydeskd once server/ has code)
#   make run      open the console on the bundled demo data
#   make check    build and run every test suite (unit, ASan+UBSan, CLI, screen, tmux)
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
CMOCKA_LIBS := $(shell $(PKG) --libs cmocka 2>/dev/null)

SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CORE_SRC    := $(sort $(wildcard core/*.c))
VIEWS_SRC   := $(sort $(wildcard views/*.c))
CONSOLE_SRC := $(sort $(wildcard console/*.c))
UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
HEADERS     := $(wildcard include/dutydesk/*.h)

B := build
# `make V=1` shows the full commands.
Q := $(if $(V),,@)
say = $(if $(V),,@printf '  %-6s %s\n' $(1) $(2);)
obj = $(patsubst %.c,$(B)/$(1)/%.o,$(2))

CORE_OBJ    := $(call obj,rel,$(CORE_SRC))
VIEWS_OBJ   := $(call obj,rel,$(VIEWS_SRC))
CONSOLE_OBJ := $(call obj,rel,$(CONSOLE_SRC))
UNIT_BIN    := $(patsubst tests/unit/%.c,$(B)/rel/tests/%,$(UNIT_SRC))
ASAN_BIN    := $(patsubst tests/unit/%.c,$(B)/asan/tests/%,$(UNIT_SRC))

PO          := $(wildcard po/*.po)
MO          := $(patsubst po/%.po,$(B)/locale/%/LC_MESSAGES/dutydesk.mo,$(PO))

.PHONY: all deps run check unit asan-unit cli-test screen-test tui-test install clean bench demo pot
.DEFAULT_GOAL := all

all: dutydesk $(B)/gen-demo $(MO)

dutydesk: $(CONSOLE_OBJ) $(VIEWS_OBJ) $(CORE_OBJ)
	$(call say,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TUI_LIBS) $(CORE_LIBS) -lm

$(B)/rel/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/asan/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC-SAN,$<)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -O1 -c -o $@ $<

# Unit tests link the core and the curses-free parts of views/ they test.
$(B)/rel/tests/%: tests/unit/%.c $(CORE_OBJ) $(VIEWS_OBJ) $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,TEST,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(CORE_OBJ) $(VIEWS_OBJ) $(CMOCKA_LIBS) $(TUI_LIBS) $(CORE_LIBS) -lm

$(B)/asan/tests/%: tests/unit/%.c $(call obj,asan,$(CORE_SRC)) $(call obj,asan,$(VIEWS_SRC)) $(HEADERS)
	@mkdir -p $(dir $@)
	$(call say,TEST-SAN,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -O1 -o $@ $< $(call obj,asan,$(CORE_SRC)) $(call obj,asan,$(VIEWS_SRC)) \
		$(CMOCKA_LIBS) $(TUI_LIBS) $(CORE_LIBS) -lm

$(B)/locale/%/LC_MESSAGES/dutydesk.mo: po/%.po
	@mkdir -p $(dir $@)
	$(call say,MSGFMT,$<)msgfmt --check -o $@ $<

deps:
	@sh packaging/deps.sh

$(B)/gen-demo: data/demo/gen_demo.c $(CORE_OBJ) $(HEADERS)
	$(call say,LINK,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_OBJ) $(CORE_LIBS) -lm

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

check: all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory asan-unit
	@$(MAKE) --no-print-directory cli-test
	@$(MAKE) --no-print-directory screen-test
	@$(MAKE) --no-print-directory tui-test

pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -o po/dutydesk.pot $(VIEWS_SRC) $(CONSOLE_SRC) $(CORE_SRC)

bench: all
	@sh bench/log_append.sh
	@sh bench/tui_start.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes
	install -m 0755 dutydesk $(DESTDIR)$(BINDIR)/dutydesk
	install -m 0644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/
	install -m 0644 data/tiers.conf $(DESTDIR)$(DATADIR)/tiers.conf
	for mo in $(MO); do lang=$${mo#$(B)/locale/}; lang=$${lang%%/*}; \
		install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
		install -m 0644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/dutydesk.mo; done

clean:
	rm -rf $(B) dutydesk dutydeskd
